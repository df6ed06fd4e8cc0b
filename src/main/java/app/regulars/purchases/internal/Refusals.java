package app.regulars.purchases.internal;

import app.regulars.platform.RefusalCodes;

/** The intake's refusals, coded {@code purchases.refused.<code>} in the purchases messages. */
final class Refusals {

    static final RefusalCodes CODES = new RefusalCodes("purchases.refused.");

    private Refusals() {}
}
