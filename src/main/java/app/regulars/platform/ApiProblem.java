package app.regulars.platform;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request that cannot be carried out, with what was wrong and where. Rendered as
 * {@code application/problem+json} with an {@code errors} list of field and reason.
 */
public class ApiProblem extends RuntimeException {

    /**
     * One thing wrong with the input: where ("lines[2].quantity") and why, in English as the API gives
     * it. A module whose refusals reach people through another module (an import's error report, a console
     * page) also gives a {@code code}, a message key in its own messages, and at most one {@code argument}
     * (a limit, the allowed values — never a value that was sent, which may be personal data), so the reason
     * can be read in the reader's language. Neither is part of the API's answer.
     */
    public record FieldError(String field, String reason, @JsonIgnore String code, @JsonIgnore String argument) {

        public FieldError(String field, String reason) {
            this(field, reason, null, null);
        }

        /** The same refusal at another place (a batch puts the item's index in front). */
        public FieldError at(String otherField) {
            return new FieldError(otherField, reason, code, argument);
        }
    }

    private final HttpStatus status;
    private final transient List<FieldError> errors;

    public ApiProblem(HttpStatus status, String message, List<FieldError> errors) {
        super(message);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badRequest(String field, String reason) {
        return of(HttpStatus.BAD_REQUEST, new FieldError(field, reason));
    }

    /** One refusal (with its code when it has one) and the status it answers with. */
    public static ApiProblem of(HttpStatus status, FieldError error) {
        return new ApiProblem(status, error.field() + ": " + error.reason(), List.of(error));
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        String first = errors.isEmpty() ? "invalid input" : errors.getFirst().field() + ": " + errors.getFirst().reason();
        return new ApiProblem(HttpStatus.BAD_REQUEST, first, errors);
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, what + " not found", List.of());
    }

    public static ApiProblem conflict(String field, String reason) {
        return of(HttpStatus.CONFLICT, new FieldError(field, reason));
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
