package app.regulars.insights.web;

import app.regulars.insights.Segments;
import app.regulars.insights.Tags;
import app.regulars.insights.web.RuleBodies.DefinitionBody;
import app.regulars.insights.web.RuleBodies.MembersView;
import app.regulars.insights.web.RuleBodies.TagView;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Tags: manual and automatic ones, tags on a customer, a CSV upload of (phone or card, tag). */
@RestController
class TagsApi {

    record TagName(String tag) {}

    private final Tags tags;
    private final Segments segments;
    private final ObjectMapper json;

    TagsApi(Tags tags, Segments segments, ObjectMapper json) {
        this.tags = tags;
        this.segments = segments;
        this.json = json;
    }

    @GetMapping("/api/v1/tags")
    List<TagView> list() {
        return tags.list().stream().map(t -> RuleBodies.view(t, json)).toList();
    }

    @GetMapping("/api/v1/tags/{id}")
    TagView get(@PathVariable long id) {
        return RuleBodies.view(tags.find(id).orElseThrow(() -> ApiProblem.notFound("tag " + id)), json);
    }

    /** Without text or rule: a manual tag; with one: an automatic tag. */
    @PostMapping("/api/v1/tags")
    ResponseEntity<TagView> create(@RequestBody DefinitionBody body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(RuleBodies.view(tags.create(body.name(), body.description(), body.sourceOrNull()), json));
    }

    @PutMapping("/api/v1/tags/{id}")
    TagView update(@PathVariable long id, @RequestBody DefinitionBody body) {
        return RuleBodies.view(tags.update(id, body.name(), body.description(), body.sourceOrNull()), json);
    }

    @DeleteMapping("/api/v1/tags/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        tags.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/tags/{id}/members")
    MembersView members(@PathVariable long id, @RequestParam(defaultValue = "0") int page,
                        @RequestParam(defaultValue = "50") int size) {
        return RuleBodies.members(tags.members(id, page, size), c -> segments.maskedCustomer(c).orElse(null));
    }

    @GetMapping(value = "/api/v1/tags/{id}/members.csv", produces = "text/csv")
    ResponseEntity<String> export(@PathVariable long id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"tag-" + id + "-members.csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(RuleBodies.csv(tags.memberIds(id)));
    }

    /** A CSV file (multipart field "file") of phone or card and tag; see {@link Tags#upload}. */
    @PostMapping(value = "/api/v1/tags/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Tags.UploadReport upload(@RequestParam("file") MultipartFile file) throws IOException {
        return tags.upload(file.getBytes());
    }

    @GetMapping("/api/v1/customers/{id}/tags")
    List<Tags.OnCustomer> ofCustomer(@PathVariable long id) {
        return tags.of(id);
    }

    @PostMapping("/api/v1/customers/{id}/tags")
    ResponseEntity<Map<String, Object>> add(@PathVariable long id, @RequestBody TagName body) {
        boolean added = tags.add(id, body.tag());
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK)
                .body(Map.of("tag", body.tag().strip(), "added", added));
    }

    @DeleteMapping("/api/v1/customers/{id}/tags/{tag}")
    ResponseEntity<Void> remove(@PathVariable long id, @PathVariable String tag) {
        tags.remove(id, tag);
        return ResponseEntity.noContent().build();
    }
}
