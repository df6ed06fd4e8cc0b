package app.regulars.coupons;

import java.time.Instant;

/**
 * One draw as recorded. {@code randomValue} and {@code tableVersion} determine {@code pickedPrizeId};
 * {@code prizeId} is what was won: the picked prize, or null when nothing was picked or the prize ran
 * out ({@code shortfall}: stock, budget or coupon_cap).
 */
public record DrawResult(long drawId, long grantId, long campaignId, long customerId, long randomValue,
                         int tableVersion, Long pickedPrizeId, Long prizeId, String prizeKind, String prizeLabel,
                         String shortfall, String couponCode, Long points, Instant drawnAt) {}
