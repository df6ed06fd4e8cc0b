package app.regulars.imports;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.platform.ApiProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Imports over HTTP: upload a file and get a job id back, poll the job, download its error report. */
@RestController
@RequestMapping("/api/v1/imports")
class ImportsApi {

    private final Imports imports;

    ImportsApi(Imports imports) {
        this.imports = imports;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> start(@RequestParam("file") MultipartFile file,
                                              @RequestParam(required = false) String type,
                                              @RequestParam(required = false) String mapping,
                                              @RequestParam(required = false) String store,
                                              @RequestParam(required = false) String source,
                                              @RequestParam(required = false) String idSource,
                                              @RequestParam(defaultValue = "false") boolean skipInvalid,
                                              @RequestParam(required = false) String dateFormat,
                                              @RequestParam(required = false) String timezone) {
        if (file.isEmpty()) {
            throw ApiProblem.badRequest("file", "missing or empty");
        }
        ImportType importType = type == null || type.isBlank() ? null : ImportType.parse(type)
                .orElseThrow(() -> ApiProblem.badRequest("type", "must be customers, products or receipts"));
        String uploadId;
        try {
            uploadId = imports.keepUpload(file.getInputStream(), file.getOriginalFilename());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path kept = imports.upload(uploadId);
        Caller caller = Callers.current();
        ImportJob job = imports.start(new ImportRequest(kept, Imports.uploadedName(kept), importType, null, mapping, null,
                new ImportOptions(store, source, idSource, skipInvalid, dateFormat, timezone), caller.name(),
                caller.allStores() ? null : caller.storeIds()));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, "/api/v1/imports/" + job.id())
                .body(Map.of("id", job.id(), "status", job.status(), "type", job.type().code()));
    }

    @GetMapping("/{id}")
    ImportJob status(@PathVariable long id) {
        return imports.job(id).orElseThrow(() -> ApiProblem.notFound("import " + id));
    }

    @GetMapping("/{id}/errors.csv")
    ResponseEntity<Resource> errors(@PathVariable long id) {
        imports.job(id).orElseThrow(() -> ApiProblem.notFound("import " + id));
        Path report = imports.errorReport(id).orElseThrow(() -> ApiProblem.notFound("error report of import " + id));
        return csv(report, "import-" + id + "-errors.csv");
    }

    static ResponseEntity<Resource> csv(Path report, String name) {
        try {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                    .contentLength(Files.size(report))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                    .body(new FileSystemResource(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
