package app.regulars.coupons;

import java.time.Instant;

/** A coupon as issued; {@code created} is false when an earlier call with the same key issued it. */
public record Issued(long couponId, String code, long templateId, long customerId, Instant validFrom,
                     Instant validUntil, boolean created) {}
