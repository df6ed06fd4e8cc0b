package app.regulars.coupons;

import java.time.Instant;

/** A coupon with its template's terms, as the till weighs it. */
record HeldCoupon(long id, String code, CouponTemplate template, long customerId, boolean redeemed,
                  Instant validFrom, Instant validUntil) {}
