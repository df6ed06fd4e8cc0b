package app.regulars.customers;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * Refusals of this module that reach people through other modules (an import's error report): each
 * has a code, {@code customers.refused.<code>} in the customers messages, so it can be read in Chinese
 * as well as in the API's English.
 */
final class Refusals {

    private static final String PREFIX = "customers.refused.";

    private Refusals() {}

    static FieldError of(String field, String code, String english) {
        return new FieldError(field, english, PREFIX + code, null);
    }

    /** With one argument: a limit or the allowed values, never a value that was sent. */
    static FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, PREFIX + code, String.valueOf(argument));
    }
}
