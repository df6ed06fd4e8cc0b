package app.regulars.coupons;

import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RefusalCodes;

/**
 * This module's refusals, coded {@code coupons.refused.<code>} in the module's messages so that the console (and an
 * import's report) can say them in the reader's language; the API keeps their English.
 */
final class Refusals {

    static final RefusalCodes CODES = new RefusalCodes("coupons.refused.");
    private static final RefusalCodes SKIPS = new RefusalCodes("coupons.skip.");

    private Refusals() {}

    /** Why issuing stopped at a cap or a closed template: the skip reasons of bulk issuing (coupons.skip.*). */
    static FieldError skipped(String field, String reason) {
        return SKIPS.of(field, reason, reason);
    }
}
