package app.regulars.coupons;

/**
 * A prize of a draw campaign. {@code kind} is points, coupon or gift; {@code valueCents} is what one
 * costs the chain (counted against the campaign budget; for a coupon prize the template's face value);
 * {@code oddsPpm} the chance in parts per million; {@code stock} null for unlimited; {@code won} so far.
 */
public record Prize(long id, int position, String kind, String label, Long points, Long templateId, String giftSku,
                    long valueCents, int oddsPpm, Integer stock, int won) {}
