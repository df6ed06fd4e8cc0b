package app.regulars.customers;

import app.regulars.platform.RefusalCodes;

/** This module's refusals, coded {@code customers.refused.<code>} in the customers messages. */
final class Refusals {

    static final RefusalCodes CODES = new RefusalCodes("customers.refused.");

    private Refusals() {}
}
