package app.regulars.insights.web;

import app.regulars.insights.Preview;
import app.regulars.insights.Segments;
import app.regulars.insights.web.RuleBodies.DefinitionBody;
import app.regulars.insights.web.RuleBodies.MembersView;
import app.regulars.insights.web.RuleBodies.RuleBody;
import app.regulars.insights.web.RuleBodies.SegmentView;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Segments: preview a rule (count, share, masked sample), save, change, delete, list members. Bad rules
 * are 400 with the line and column of each problem (see {@link RuleProblems}).
 */
@RestController
@RequestMapping("/api/v1/segments")
class SegmentsApi {

    private final Segments segments;
    private final ObjectMapper json;

    SegmentsApi(Segments segments, ObjectMapper json) {
        this.segments = segments;
        this.json = json;
    }

    @PostMapping("/preview")
    Preview preview(@RequestBody RuleBody body) {
        return segments.preview(body.source());
    }

    @GetMapping
    List<SegmentView> list() {
        return segments.list().stream().map(s -> RuleBodies.view(s, json)).toList();
    }

    @GetMapping("/{id}")
    SegmentView get(@PathVariable long id) {
        return RuleBodies.view(segments.find(id).orElseThrow(() -> ApiProblem.notFound("segment " + id)), json);
    }

    @PostMapping
    ResponseEntity<SegmentView> create(@RequestBody DefinitionBody body) {
        if (body.sourceOrNull() == null) {
            throw ApiProblem.badRequest("text", "a segment needs a rule: give its text or its JSON (rule)");
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(RuleBodies.view(segments.create(body.name(), body.description(), body.sourceOrNull()), json));
    }

    @PutMapping("/{id}")
    SegmentView update(@PathVariable long id, @RequestBody DefinitionBody body) {
        return RuleBodies.view(segments.update(id, body.name(), body.description(), body.sourceOrNull()), json);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        segments.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/members")
    MembersView members(@PathVariable long id, @RequestParam(defaultValue = "0") int page,
                        @RequestParam(defaultValue = "50") int size) {
        return RuleBodies.members(segments.members(id, page, size), c -> segments.maskedCustomer(c).orElse(null));
    }

    @GetMapping(value = "/{id}/members.csv", produces = "text/csv")
    ResponseEntity<String> export(@PathVariable long id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"segment-" + id + "-members.csv\"")
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(RuleBodies.csv(segments.memberIds(id)));
    }

    @GetMapping("/{id}/sizes")
    List<Segments.DailySize> sizes(@PathVariable long id, @RequestParam(defaultValue = "30") int days) {
        segments.find(id).orElseThrow(() -> ApiProblem.notFound("segment " + id));
        return segments.sizes(id, Math.clamp(days, 1, 366));
    }
}
