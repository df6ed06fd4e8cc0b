package app.regulars.insights.web;

import app.regulars.insights.RuleReferenceException;
import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A rule that cannot be used is a 400 whose errors carry the line and column (for text) or the JSON
 * path (for a malformed document) of each problem, so the console can point at it.
 */
@RestControllerAdvice(assignableTypes = {SegmentsApi.class, TagsApi.class})
class RuleProblems {

    @ExceptionHandler(RuleError.class)
    ResponseEntity<ProblemDetail> rule(RuleError e) {
        List<Map<String, Object>> errors = e.problems().stream()
                .map(p -> entry(p.span(), p.path(), p.english())).toList();
        return respond(e.getMessage(), errors);
    }

    @ExceptionHandler(RuleReferenceException.class)
    ResponseEntity<ProblemDetail> reference(RuleReferenceException e) {
        return respond(e.getMessage(), List.of(entry(e.span(), null, e.getMessage())));
    }

    private static Map<String, Object> entry(Span span, String path, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        boolean positioned = span != null && span.line() > 0;
        error.put("field", positioned ? "text" : path == null || path.isEmpty() ? "rule" : path);
        error.put("reason", message);
        if (positioned) {
            error.put("line", span.line());
            error.put("column", span.column());
            error.put("length", span.length());
        }
        return error;
    }

    private static ResponseEntity<ProblemDetail> respond(String detail, List<Map<String, Object>> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
