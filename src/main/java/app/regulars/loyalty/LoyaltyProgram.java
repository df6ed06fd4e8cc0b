package app.regulars.loyalty;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** The loyalty programme's configuration: settings, earning rules, tiers, gifts; and its figures. */
public interface LoyaltyProgram {

    Settings settings();

    /** Validates as a whole (ApiProblem naming the fields) and saves. */
    Settings saveSettings(Settings settings);

    List<EarningRule> rules();

    /** Creates (id null) or updates a rule; SKU and store codes are resolved and checked. */
    EarningRule saveRule(Long id, RuleDraft draft);

    /** Pairs of active rules whose windows overlap and that compete for the same receipts or events. */
    List<Conflict> conflicts();

    List<Tier> tiers();

    /** Creates or updates a tier by code; ranks and thresholds must rise together. */
    Tier saveTier(Tier tier);

    List<Gift> gifts();

    Gift saveGift(Gift gift);

    List<CouponOffer> couponOffers();

    CouponOffer saveCouponOffer(CouponOffer offer);

    Figures figures();

    /**
     * @param pendingDays     the return window: points of a receipt are locked this long
     * @param expiryPolicy    days (N days after earning), end_of_month (end of the Nth month after),
     *                        end_of_year (end of the Nth year after), never
     * @param shortfallPolicy what a refund does when its points were already spent: negative (the
     *                        balance goes below zero, repaid by the next earnings) or record (the balance
     *                        stays at zero, the shortfall is recorded and shown)
     * @param multiplierMode  best (the highest promotional multiplier of a line applies) or stack (they multiply)
     * @param tierBasis       spend or points over a rolling 12 months
     * @param tierReview      anniversary (a year after the tier was reached) or fixed (every year on tierReviewMmdd)
     * @param tierGracePct    at a review, a member within this share below the threshold keeps the tier
     */
    record Settings(java.time.Instant earnFrom, int pendingDays, String expiryPolicy, int expiryN, int reminderDays,
                    String shortfallPolicy, String multiplierMode, int cashPointsPerYuan, int cashMaxBasketPct,
                    long cashMaxPoints, String tierBasis, String tierReview, String tierReviewMmdd, int tierGracePct) {}

    /**
     * One earning rule. Kinds: per_amount (pointsPerYuan), multiplier (factor on categories / SKUs),
     * exclusion (categories / SKUs earn nothing), minimum_basket (minBasketCents), special_days
     * (factor on dates, daysOfMonth — member days — or weekdays 1..7), birthday_month (factor),
     * signup_bonus / first_purchase_bonus (points), referral (referrerPoints, refereePoints on the
     * referee's first purchase), interaction (points per interactionType, dailyCap a day).
     */
    record EarningRule(long id, String name, String kind, boolean active, LocalDate startsOn, LocalDate endsOn,
                       RuleTerms terms) {

        public boolean activeOn(LocalDate day) {
            return active && (startsOn == null || !day.isBefore(startsOn)) && (endsOn == null || !day.isAfter(endsOn));
        }
    }

    /** The draft of a rule as a form or the API sends it: codes, not ids. */
    record RuleDraft(String name, String kind, Boolean active, LocalDate startsOn, LocalDate endsOn, RuleTerms terms) {}

    /** The terms of a rule; only those its kind uses are set. */
    record RuleTerms(BigDecimal pointsPerYuan, BigDecimal factor, Set<String> categories, Set<String> skuCodes,
                     Set<Long> skuIds, Set<String> storeCodes, Set<Long> storeIds, Long minBasketCents,
                     Set<LocalDate> dates, Set<Integer> daysOfMonth, Set<Integer> weekdays, Long points,
                     Long referrerPoints, Long refereePoints, String interactionType, Integer dailyCap) {

        public RuleTerms {
            categories = categories == null ? Set.of() : Set.copyOf(categories);
            skuCodes = skuCodes == null ? Set.of() : Set.copyOf(skuCodes);
            skuIds = skuIds == null ? Set.of() : Set.copyOf(skuIds);
            storeCodes = storeCodes == null ? Set.of() : Set.copyOf(storeCodes);
            storeIds = storeIds == null ? Set.of() : Set.copyOf(storeIds);
            dates = dates == null ? Set.of() : Set.copyOf(dates);
            daysOfMonth = daysOfMonth == null ? Set.of() : Set.copyOf(daysOfMonth);
            weekdays = weekdays == null ? Set.of() : Set.copyOf(weekdays);
        }

        public static RuleTerms none() {
            return new RuleTerms(null, null, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), null, Set.of(), Set.of(),
                    Set.of(), null, null, null, null, null);
        }
    }

    /** Two rules that apply to the same thing on overlapping days; {@code resolution} says which wins. */
    record Conflict(long ruleId, String ruleName, long otherId, String otherName, LocalDate from, LocalDate to,
                    String resolution) {}

    record Tier(String code, int rank, String nameZh, String nameEn, long minSpendCents, long minPoints,
                int discountBasisPoints, BigDecimal pointsMultiplier, String birthdayGift, boolean earlyAccess,
                boolean advisor, boolean freeShipping) {

        public String name(java.util.Locale locale) {
            return "zh".equals(locale.getLanguage()) ? nameZh : nameEn;
        }
    }

    record Gift(String code, String name, long pointsPrice, int stock, boolean active) {}

    record CouponOffer(String templateCode, long pointsPrice, boolean active) {}

    /**
     * @param liability          points outstanding (spendable + pending) and their cash value at the till rate
     * @param tiers              members per tier and their spend over the last 12 months
     * @param months             points earned, spent, expired and reversed per month, last 12 months
     */
    record Figures(long liabilityPoints, long pendingPoints, long expiring30Days, long liabilityCents, long members,
                   List<TierShare> tiers, List<Month> months, long debtPoints, long shortfallPoints) {}

    record TierShare(String code, String nameZh, String nameEn, long members, long spendCents) {}

    record Month(String month, long earned, long spent, long expired, long reversed) {}
}
