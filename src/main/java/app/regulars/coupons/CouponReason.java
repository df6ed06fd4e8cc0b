package app.regulars.coupons;

/** Why a coupon cannot be used on a basket: codes the till shows to the cashier. */
public enum CouponReason {
    /** No coupon has this code. */
    UNKNOWN_CODE,
    /** The coupon belongs to another customer. */
    COUPON_NOT_OWNED,
    /** Redeemed already (and not given back by a refund). */
    COUPON_ALREADY_USED,
    /** Its validity has not started. */
    COUPON_NOT_YET_VALID,
    /** Its validity has ended. */
    COUPON_EXPIRED,
    /** Not valid in this store, or nothing in the basket is in its category/SKU scope. */
    COUPON_OUT_OF_SCOPE,
    /** The in-scope amount is below its threshold or minimum spend. */
    THRESHOLD_NOT_MET,
    /** Cannot be combined with the other coupons chosen. */
    NOT_STACKABLE
}
