package app.regulars.insights;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * Refusals of tags and segments (names, deletion, uploads) that people read in the console: each has a
 * code, {@code insights.refused.<code>} in the insights messages, so it can be read in Chinese as well as
 * in the API's English. The rule language's own errors (at a line and column) stay in English.
 */
final class Refusals {

    private static final String PREFIX = "insights.refused.";

    private Refusals() {}

    static FieldError of(String field, String code, String english) {
        return new FieldError(field, english, PREFIX + code, null);
    }

    /** With one argument: a limit, or names of tags and segments; never a customer's data. */
    static FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, PREFIX + code, String.valueOf(argument));
    }
}
