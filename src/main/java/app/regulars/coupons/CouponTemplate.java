package app.regulars.coupons;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A stored template. {@code faceCents} is the most one coupon of it can be worth (fixed amount, largest
 * tier, percent cap, gift value): what issuing one reserves of the budget.
 */
public record CouponTemplate(long id, String name, CouponKind kind, Long amountCents, Integer percentOff,
                             Long capCents, List<Tier> tiers, String giftSku, Long giftValueCents, long minSpendCents,
                             Set<String> categories, Set<String> skus, Set<Long> storeIds, Instant validFrom,
                             Instant validUntil, Integer validDays, Stacking stacking, Set<Long> stacksWith,
                             Integer perCustomerLimit, Integer totalQuantity, Long budgetCents, long faceCents,
                             int issuedCount, long issuedFaceCents, boolean active) {

    /** Whether a coupon of this template may sit in one basket with a coupon of {@code other}. */
    public boolean allows(CouponTemplate other) {
        if (other.id == id) {
            return false;
        }
        return switch (stacking) {
            case EXCLUSIVE -> false;
            case ANY -> true;
            case LISTED -> stacksWith.contains(other.id);
        };
    }

    public boolean stacksWith(CouponTemplate other) {
        return allows(other) && other.allows(this);
    }
}
