package app.regulars.coupons;

/**
 * A request to issue one coupon.
 *
 * @param issueKey the issuer's idempotency key: a second call with the same key returns the first coupon
 *                 (namespace it, e.g. {@code journey:42:step:3:customer:7})
 * @param via      console, api, bulk, rule, journey or draw
 */
public record Issue(long templateId, long customerId, String issueKey, String via) {}
