package app.regulars.coupons;

import java.util.List;

/**
 * The selection function of the instant-win draws, and nothing else, so a recorded draw can be replayed
 * and simulated exactly. A draw's 64 random bits become a ticket in [0, 1,000,000) by
 * {@code floor(random × 10^6 / 2^64)} (unsigned), and the ticket falls into the prize whose odds band
 * (parts per million, in table order) contains it; past the last band it wins nothing (谢谢参与).
 */
final class DrawTable {

    static final int PPM = 1_000_000;

    private DrawTable() {}

    /** One prize's band: its id and its odds in parts per million. */
    record Slot(long prizeId, int oddsPpm) {}

    static int ticket(long random) {
        return (int) Math.unsignedMultiplyHigh(random, PPM);
    }

    /** The prize the random value picks on this table, or null for no prize. */
    static Long pick(long random, List<Slot> table) {
        int ticket = ticket(random);
        long upTo = 0;
        for (Slot s : table) {
            upTo += s.oddsPpm();
            if (ticket < upTo) {
                return s.prizeId();
            }
        }
        return null;
    }
}
