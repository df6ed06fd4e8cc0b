package app.regulars.coupons;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A coupon template as the console or the API writes it. Money in cents. Which fields matter depends on
 * the kind: {@code amountCents} (fixed), {@code percentOff} and {@code capCents} (percent), {@code tiers}
 * (threshold), {@code giftSku} and {@code giftValueCents} (gift); {@code minSpendCents} applies to all
 * kinds but threshold. Validity is either fixed dates ({@code validFrom} optional, {@code validUntil})
 * or {@code validDays} from issue. Empty scopes mean "everything"; a line is in scope when its category
 * (or an ancestor category) or its SKU is listed.
 */
public record TemplateDraft(String name, String kind, Long amountCents, Integer percentOff, Long capCents,
                            List<Tier> tiers, String giftSku, Long giftValueCents, Long minSpendCents,
                            Set<String> categories, Set<String> skus, Set<Long> storeIds, Instant validFrom,
                            Instant validUntil, Integer validDays, String stacking, Set<Long> stacksWith,
                            Integer perCustomerLimit, Integer totalQuantity, Long budgetCents, Boolean active) {}
