package app.regulars.platform;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * A module's refusals that reach people through other modules (an import's error report): each has a
 * code, {@code <prefix><code>} in the module's messages, so it can be read in Chinese as well as in
 * the API's English (which may name receipt numbers and the like that the translation leaves out).
 */
public record RefusalCodes(String prefix) {

    public FieldError of(String field, String code, String english) {
        return new FieldError(field, english, prefix + code, null);
    }

    /** With one argument: a limit, the allowed values or a count, never a value that was sent. */
    public FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, prefix + code, String.valueOf(argument));
    }
}
