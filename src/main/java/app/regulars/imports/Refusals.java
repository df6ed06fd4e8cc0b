package app.regulars.imports;

import app.regulars.platform.RefusalCodes;

/**
 * The column mapping's refusals, coded {@code imports.mapping.refused.<code>} in the module's messages so that the console (and an
 * import's report) can say them in the reader's language; the API keeps their English.
 */
final class Refusals {

    static final RefusalCodes CODES = new RefusalCodes("imports.mapping.refused.");

    private Refusals() {}
}
