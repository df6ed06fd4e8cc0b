package app.regulars.platform;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure of an API call into problem+json that says what and where, never a bare 500.
 * Reasons are English unless the caller asks for Chinese with {@code Accept-Language}: then a refusal
 * that has a message code reads in Chinese (field names, statuses and the rest stay as they are).
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final MessageSource messages;

    ProblemAdvice(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> problem(ApiProblem e, HttpServletRequest request) {
        Locale asked = askedFor(request);
        if (asked == null || e.errors().stream().allMatch(f -> f.code() == null)) {
            return respond(e.status(), e.getMessage(), e.errors());
        }
        List<ApiProblem.FieldError> read = e.errors().stream().map(f -> f.code() == null ? f
                : new ApiProblem.FieldError(f.field(), messages.getMessage(f.code(),
                        f.argument() == null ? null : new Object[] {f.argument()}, f.reason(), asked), f.code(),
                        f.argument())).toList();
        return respond(e.status(), read.getFirst().field() + ": " + read.getFirst().reason(), read);
    }

    /**
     * The language a caller asked for, when it is one the refusals are written in besides English;
     * null for English and for a caller that did not say (a till's answers do not change under it).
     */
    private static Locale askedFor(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) == null) {
            return null;
        }
        Locale locale = request.getLocale();
        return "zh".equals(locale.getLanguage()) ? Locale.SIMPLIFIED_CHINESE : null;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            String field = path(u) ;
            return respond(HttpStatus.BAD_REQUEST, "unknown field " + field,
                    List.of(new ApiProblem.FieldError(field, "unknown field")));
        }
        if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            return respond(HttpStatus.BAD_REQUEST, field + ": wrong type or format",
                    List.of(new ApiProblem.FieldError(field, "wrong type or format")));
        }
        if (cause instanceof JsonProcessingException p && p.getLocation() != null) {
            String where = "line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr();
            return respond(HttpStatus.BAD_REQUEST, "malformed JSON at " + where,
                    List.of(new ApiProblem.FieldError("body", "malformed JSON at " + where)));
        }
        return respond(HttpStatus.BAD_REQUEST, "request body missing or unreadable",
                List.of(new ApiProblem.FieldError("body", "missing or unreadable")));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        List<ApiProblem.FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new ApiProblem.FieldError(f.getField(), f.getDefaultMessage()))
                .toList();
        return respond(HttpStatus.BAD_REQUEST, errors.isEmpty() ? "invalid input"
                : errors.getFirst().field() + ": " + errors.getFirst().reason(), errors);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e) {
        String name = e instanceof MissingServletRequestParameterException m ? m.getParameterName()
                : ((MethodArgumentTypeMismatchException) e).getName();
        return respond(HttpStatus.BAD_REQUEST, name + ": missing or malformed",
                List.of(new ApiProblem.FieldError(name, "missing or malformed")));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported content type " + e.getContentType(), List.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return respond(HttpStatus.METHOD_NOT_ALLOWED, "method " + e.getMethod() + " not allowed here", List.of());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return respond(HttpStatus.PAYLOAD_TOO_LARGE, "upload too large", List.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, "no such resource", List.of());
    }

    /*
     * WHY 503 AND NOT 500: PostgreSQL gave up this call's transaction because it waited for another
     * one that waited for it (deadlock, 40P01), could not serialise it (40001) or could not get a lock.
     * The transaction was rolled back and the same call will most likely go through a moment later;
     * a till retries a 503 (receipts are idempotent), while a 500 reads as a bug.
     */
    @ExceptionHandler(ConcurrencyFailureException.class)
    ResponseEntity<ProblemDetail> contended(ConcurrencyFailureException e) {
        log.warn("An API call lost a lock conflict in the database and was rolled back: {}", e.getClass().getName());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "a concurrent change got in the way and this call was rolled back; send it again");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        // Logged without request data: inputs may carry personal data.
        log.error("Unexpected failure handling an API call: {}", e.getClass().getName(), e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, "internal error", List.of());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, String detail, List<ApiProblem.FieldError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
