package app.regulars.coupons;

import java.time.Instant;

/**
 * A customer's coupon as the console and the member center show it. {@code status} is active, redeemed
 * or expired (active past its validity); {@code receiptNo} names the receipt that redeemed it.
 */
public record CustomerCoupon(long id, String code, long templateId, String templateName, CouponKind kind,
                             long faceCents, long customerId, String status, Instant issuedAt, String issuedVia,
                             Instant validFrom, Instant validUntil, String receiptNo, Instant redeemedAt) {}
