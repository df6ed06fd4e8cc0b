package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * Refusals of the mapping step (columns, options) that the console shows: each has a code,
 * {@code imports.mapping.refused.<code>} in the imports messages, so it can be read in Chinese as well
 * as in the API's English.
 */
final class Refusals {

    private static final String PREFIX = "imports.mapping.refused.";

    private Refusals() {}

    static FieldError of(String field, String code, String english) {
        return new FieldError(field, english, PREFIX + code, null);
    }

    /** With one argument: another column's header, never a cell value. */
    static FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, PREFIX + code, String.valueOf(argument));
    }
}
