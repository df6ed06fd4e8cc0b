package app.regulars.insights.engine;

/**
 * The column layout of receipts, their lines and interactions in a {@link Segment}. Small
 * dictionary codes share one int ({@code ATTRS}, {@code PACKED}) so a receipt with 2.5 lines fits
 * in about 50 bytes.
 */
final class Receipts {

    // receipt columns
    static final int DAY = 0;      // local epoch day in the receipt store's timezone
    static final int AMOUNT = 1;   // total_cents (paid, or paid back for a refund)
    static final int DISCOUNT = 2; // discount_cents
    static final int ATTRS = 3;    // store | channel | payment | refund | coupon
    static final int LINES = 4;    // index of the first line in the child segment
    static final int WIDTH = 5;

    // line columns
    static final int SKU = 0;
    static final int LINE_AMOUNT = 1;
    static final int PACKED = 2;   // quantity (15 bits) | category (16 bits) | coupon (sign)
    static final int LINE_WIDTH = 3;

    // interaction columns
    static final int I_DAY = 0;
    static final int I_ATTRS = 1;  // type (5 bits) | rating (3 bits, 0: none) << 5 | store << 8
    static final int I_SKU = 2;    // 0: none
    static final int I_WIDTH = 3;

    static final int STORE_BITS = 14;
    static final int MAX_STORES = (1 << STORE_BITS) - 1;
    static final int MAX_CHANNELS = 63;
    static final int MAX_PAYMENTS = 1023;
    static final int MAX_CATEGORIES = 65535;
    static final int MAX_QUANTITY = 0x7FFE;
    static final int WIDE_QUANTITY = 0x7FFF;
    static final int REFUND = 1 << 30;
    static final int COUPON = 1 << 31;

    private Receipts() {}

    static int attrs(int store, int channel, int payment, boolean refund, boolean coupon) {
        return store | channel << 14 | payment << 20 | (refund ? REFUND : 0) | (coupon ? COUPON : 0);
    }

    static int store(int attrs) {
        return attrs & MAX_STORES;
    }

    static int channel(int attrs) {
        return (attrs >>> 14) & MAX_CHANNELS;
    }

    static int payment(int attrs) {
        return (attrs >>> 20) & MAX_PAYMENTS;
    }

    static boolean refund(int attrs) {
        return (attrs & REFUND) != 0;
    }

    static boolean coupon(int attrs) {
        return attrs < 0;
    }

    static int packLine(int quantity, int category, boolean coupon) {
        int q = quantity > MAX_QUANTITY ? WIDE_QUANTITY : quantity;
        return q | category << 15 | (coupon ? COUPON : 0);
    }

    static int category(int packed) {
        return (packed >>> 15) & 0xFFFF;
    }

    static boolean lineCoupon(int packed) {
        return packed < 0;
    }

    /** The line's quantity; a wide one lives in the segment's side table under column PACKED. */
    static long quantity(Segment lines, int l) {
        int q = lines.cols[PACKED][l] & 0x7FFF;
        return q != WIDE_QUANTITY ? q : lines.wideValue(PACKED, l);
    }

    static int interactionAttrs(int type, int rating, int store) {
        return type | rating << 5 | store << 8;
    }

    static int interactionType(int attrs) {
        return attrs & 31;
    }

    /** A review's stars, 1–5; 0 when the interaction has none. */
    static int interactionRating(int attrs) {
        return (attrs >>> 5) & 7;
    }

    static int interactionStore(int attrs) {
        return attrs >>> 8;
    }
}
