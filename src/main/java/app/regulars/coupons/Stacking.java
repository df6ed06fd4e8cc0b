package app.regulars.coupons;

import java.util.Locale;

/**
 * Which other coupons one may be combined with in a basket. Two coupons combine only when each allows
 * the other; two coupons of the same template never combine.
 */
public enum Stacking {
    /** Alone only. */
    EXCLUSIVE,
    /** With any coupon that itself allows it. */
    ANY,
    /** Only with coupons of the listed templates. */
    LISTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stacking ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
