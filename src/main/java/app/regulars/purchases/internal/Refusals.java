package app.regulars.purchases.internal;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * Refusals of the intake that reach people through other modules (an import's error report): each
 * has a code, {@code purchases.refused.<code>} in the purchases messages, so it can be read in Chinese
 * as well as in the API's English, which may name receipt numbers the translation leaves out.
 */
final class Refusals {

    private static final String PREFIX = "purchases.refused.";

    private Refusals() {}

    static FieldError of(String field, String code, String english) {
        return new FieldError(field, english, PREFIX + code, null);
    }

    /** With one argument: a limit, the allowed values or a count, never a value that was sent. */
    static FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, PREFIX + code, String.valueOf(argument));
    }
}
