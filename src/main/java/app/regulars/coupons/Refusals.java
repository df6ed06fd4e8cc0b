package app.regulars.coupons;

import app.regulars.platform.ApiProblem.FieldError;

/**
 * Refusals of this module that people read in the console (the template and draw forms, issuing):
 * each has a code, {@code coupons.refused.<code>} in the coupons messages, so it can be read in Chinese
 * as well as in the API's English.
 */
final class Refusals {

    private static final String PREFIX = "coupons.refused.";

    private Refusals() {}

    static FieldError of(String field, String code, String english) {
        return new FieldError(field, english, PREFIX + code, null);
    }

    /** With one argument: a limit or a count, never a value that was sent. */
    static FieldError of(String field, String code, Object argument, String english) {
        return new FieldError(field, english, PREFIX + code, String.valueOf(argument));
    }

    /** Why issuing stopped at a cap or a closed template: the skip reasons of bulk issuing (coupons.skip.*). */
    static FieldError skipped(String field, String reason) {
        return new FieldError(field, reason, "coupons.skip." + reason, null);
    }
}
