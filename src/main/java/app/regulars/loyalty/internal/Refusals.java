package app.regulars.loyalty.internal;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * Refusals of the programme's settings and of points changes that people read in the console: each
 * has a code, {@code loyalty.refused.<code>} in the loyalty messages, so it can be read in Chinese as well
 * as in the API's English.
 */
final class Refusals {

    private static final String PREFIX = "loyalty.refused.";

    private Refusals() {}

    static FieldError of(String field, String code, String english) {
        return new FieldError(field, english, PREFIX + code, null);
    }

    /** With one argument: a limit, or a code of the programme or the catalog; never personal data. */
    static FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, PREFIX + code, String.valueOf(argument));
    }
}
