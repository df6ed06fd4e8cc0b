package app.regulars.console;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.imports.FilePreview;
import app.regulars.imports.ImportJob;
import app.regulars.imports.ImportOptions;
import app.regulars.imports.ImportRequest;
import app.regulars.imports.ImportType;
import app.regulars.imports.Imports;
import app.regulars.platform.ApiProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

/** Importing files in the console: upload, check the column mapping, start, watch progress, get the error report. */
@Controller
class ImportsPages {

    /** Error rows shown on a job's page; the download has them all. */
    static final int ERRORS_SHOWN = 50;

    /** The label of a mapping step option a refusal names; a column is named by its header. */
    private static final Map<String, String> OPTIONS = Map.of("store", "imports.store", "timezone", "imports.timezone",
            "dateFormat", "imports.dateFormat", "saveMappingAs", "imports.saveAs", "type", "imports.type");
    private static final String COLUMN = "mapping.";

    private final Imports imports;
    private final CustomFields customFields;
    private final org.springframework.context.MessageSource messages;
    private final Reasons reasons;
    /** The chain's zone: jobs' times are shown in it. */
    private final java.time.ZoneId zone;

    ImportsPages(Imports imports, CustomFields customFields, org.springframework.context.MessageSource messages,
                 Reasons reasons, app.regulars.platform.RegularsProperties properties) {
        this.zone = properties.timezone();
        this.messages = messages;
        this.reasons = reasons;
        this.imports = imports;
        this.customFields = customFields;
    }

    @GetMapping("/imports")
    String list(Model model) {
        model.addAttribute("jobs", imports.recent(30));
        model.addAttribute("zone", zone);
        model.addAttribute("types", ImportType.values());
        model.addAttribute("stores", imports.stores());
        model.addAttribute("mappings", imports.savedMappings());
        return "imports/list";
    }

    @PostMapping("/imports/upload")
    String upload(@RequestParam("file") MultipartFile file, @RequestParam(defaultValue = "") String type,
                  @RequestParam(defaultValue = "") String store, @RequestParam(defaultValue = "false") boolean skipInvalid,
                  @RequestParam(defaultValue = "") String mapping, Model model, Locale locale) {
        if (file.isEmpty()) {
            model.addAttribute("uploadError", "file");
            return list(model);
        }
        String uploadId;
        try {
            uploadId = imports.keepUpload(file.getInputStream(), file.getOriginalFilename());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // A saved mapping is offered as "type:name"; it decides the type when none was chosen.
            ImportType chosen = ImportType.parse(type).orElse(null);
            String mappingName = null;
            if (!mapping.isBlank() && mapping.contains(":")) {
                chosen = chosen != null ? chosen : ImportType.parse(mapping.substring(0, mapping.indexOf(':'))).orElse(null);
                mappingName = mapping.substring(mapping.indexOf(':') + 1);
            }
            FilePreview preview = imports.preview(uploadId, chosen, mappingName);
            return mappingStep(preview, new Choices(store, skipInvalid, "", "", "", ""), List.of(), model, locale);
        } catch (ApiProblem problem) {
            model.addAttribute("uploadProblem", reasons.first(problem, locale));
            return list(model);
        }
    }

    /** What the user chose besides the mapping, shown again when the mapping step comes back with errors. */
    private record Choices(String store, boolean skipInvalid, String saveAs, String source, String dateFormat,
                           String timezone) {}

    private String mappingStep(FilePreview preview, Choices c, List<ApiProblem.FieldError> errors, Model model,
                               Locale locale) {
        model.addAttribute("preview", preview);
        model.addAttribute("targets", targets(preview.type(), locale));
        model.addAttribute("store", c.store());
        model.addAttribute("skipInvalid", c.skipInvalid());
        model.addAttribute("saveAs", c.saveAs());
        model.addAttribute("source", c.source());
        model.addAttribute("dateFormat", c.dateFormat());
        model.addAttribute("timezone", c.timezone());
        model.addAttribute("defaultSource", ImportOptions.defaults().withDefaultSourceFor(preview.fileName()).source());
        model.addAttribute("stores", imports.stores());
        model.addAttribute("warnings", preview.warnings().stream()
                .map(w -> reasons.at(w.field(), reasons.of(w, locale), locale)).toList());
        model.addAttribute("errors", errors.stream()
                .map(e -> reasons.at(where(e.field(), locale), reasons.of(e, locale), locale)).toList());
        return "imports/mapping";
    }

    /** The column (by its header) or the option (by its label) a refusal of the mapping step names; else null. */
    private String where(String field, Locale locale) {
        if (field.startsWith(COLUMN)) {
            return field.substring(COLUMN.length());
        }
        String option = OPTIONS.get(field);
        return option == null ? null : messages.getMessage(option, null, locale);
    }

    /** Field code → label for the mapping selects: fixed fields from messages, custom fields by their label. */
    private Map<String, String> targets(ImportType type, Locale locale) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, CustomField> custom = customFields.definitions().stream()
                .collect(Collectors.toMap(f -> ImportType.CUSTOM_PREFIX + f.key(), f -> f));
        for (String field : imports.targetFields(type)) {
            CustomField f = custom.get(field);
            out.put(field, f != null ? f.label(locale) : messages.getMessage("imports.field." + type.code() + "." + field, null,
                    messages.getMessage("imports.field." + field, null, field, locale), locale));
        }
        return out;
    }

    @PostMapping("/imports/start")
    String start(@RequestParam String uploadId, @RequestParam String type, @RequestParam(required = false) List<String> fields,
                 @RequestParam(defaultValue = "") String store, @RequestParam(defaultValue = "false") boolean skipInvalid,
                 @RequestParam(defaultValue = "") String saveAs, @RequestParam(defaultValue = "") String source,
                 @RequestParam(defaultValue = "") String dateFormat, @RequestParam(defaultValue = "") String timezone,
                 Model model, Locale locale) {
        ImportType importType = ImportType.parse(type).orElseThrow(() -> ApiProblem.badRequest("type", "unknown"));
        FilePreview preview = imports.preview(uploadId, importType, null);
        Map<String, String> mapping = new LinkedHashMap<>();
        for (int i = 0; i < preview.headers().size(); i++) {
            String field = fields == null || i >= fields.size() ? "" : fields.get(i);
            mapping.putIfAbsent(preview.headers().get(i), field);
        }
        Path file = imports.upload(uploadId);
        Caller caller = Callers.current();
        try {
            ImportJob job = imports.start(new ImportRequest(file, Imports.uploadedName(file), importType, mapping, null,
                    blankToNull(saveAs), new ImportOptions(blankToNull(store), blankToNull(source), null, skipInvalid,
                            blankToNull(dateFormat), blankToNull(timezone)),
                    caller.name(), caller.allStores() ? null : caller.storeIds()));
            return "redirect:/imports?started=" + job.id();
        } catch (ApiProblem problem) {
            FilePreview chosen = new FilePreview(preview.uploadId(), preview.fileName(), importType, preview.headers(),
                    preview.headers().stream().map(h -> blankToNull(mapping.get(h))).toList(), preview.samples(),
                    preview.warnings());
            return mappingStep(chosen, new Choices(store, skipInvalid, saveAs, source, dateFormat, timezone),
                    problem.errors().isEmpty()
                    ? List.of(new ApiProblem.FieldError("", problem.getMessage())) : problem.errors(), model, locale);
        }
    }

    /** One job's row; polled every second by htmx while the job runs, then left alone. */
    @GetMapping("/imports/jobs/{id}/row")
    String row(@PathVariable long id, Model model) {
        model.addAttribute("zone", zone);
        model.addAttribute("job", imports.job(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        return "imports/list :: jobRow";
    }

    /** A job's page: what it did, and its first error rows in the reader's language (never a cell value). */
    @GetMapping("/imports/{id}")
    String job(@PathVariable long id, Model model, Locale locale) {
        ImportJob job = imports.job(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("zone", zone);
        model.addAttribute("job", job);
        model.addAttribute("errors", job.finished() ? imports.firstErrors(id, ERRORS_SHOWN, locale) : List.of());
        model.addAttribute("errorsShown", ERRORS_SHOWN);
        return "imports/job";
    }

    /** The job's page without its frame; polled every second by htmx while the job runs. */
    @GetMapping("/imports/jobs/{id}/panel")
    String panel(@PathVariable long id, Model model, Locale locale) {
        job(id, model, locale);
        return "imports/job :: panel";
    }

    /** The error report with its headers and reasons in the console's language (the API's stays English). */
    @GetMapping("/imports/{id}/errors.csv")
    ResponseEntity<StreamingResponseBody> errors(@PathVariable long id, Locale locale) {
        Path report = imports.errorReport(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + id + "-errors.csv\"")
                .body(out -> imports.writeErrorReport(report, locale, out));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** For templates: a job's status as shown (running jobs say how far they are). */
    static boolean running(ImportJob job) {
        return !job.finished();
    }
}
