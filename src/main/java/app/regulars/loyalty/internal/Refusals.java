package app.regulars.loyalty.internal;

import app.regulars.platform.RefusalCodes;

/**
 * This module's refusals, coded {@code loyalty.refused.<code>} in the module's messages so that the console (and an
 * import's report) can say them in the reader's language; the API keeps their English.
 */
final class Refusals {

    static final RefusalCodes CODES = new RefusalCodes("loyalty.refused.");

    private Refusals() {}
}
