package app.regulars.coupons;

import java.util.Locale;

/** What a coupon gives. */
public enum CouponKind {
    /** A fixed amount off (无门槛, or with a minimum spend). */
    FIXED,
    /** A percentage off the in-scope amount, with a cap. */
    PERCENT,
    /** An amount off once the in-scope amount reaches a threshold; several tiers allowed (满200减20 / 满500减80). */
    THRESHOLD,
    /** A free item (a SKU) handed over at the till. */
    GIFT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CouponKind ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
