package app.regulars.loyalty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.loyalty.LoyaltyProgram.EarningRule;
import app.regulars.loyalty.LoyaltyProgram.RuleTerms;
import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.internal.EarningRules.Basket;
import app.regulars.loyalty.internal.EarningRules.Line;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How rules combine: best-of or stacked multipliers, exclusions, minimum basket, tier multiplier, conflicts. */
class EarningRulesTest {

    static final LocalDate MEMBER_DAY = LocalDate.of(2026, 11, 8);
    static final Basket BASKET = new Basket(1L, MEMBER_DAY, 300_00, List.of(
            new Line(1, "skincare", 100_00), new Line(2, "snacks", 150_00), new Line(3, "tobacco", 50_00)));

    final EarningRule perYuan = rule(1, "per_amount", terms(t -> t.pointsPerYuan = BigDecimal.ONE));
    final EarningRule doubleSkincare = rule(2, "multiplier", terms(t -> {
        t.factor = BigDecimal.valueOf(2);
        t.categories = Set.of("skincare");
    }));
    final EarningRule memberDay = rule(3, "special_days", terms(t -> {
        t.factor = BigDecimal.valueOf(3);
        t.daysOfMonth = Set.of(8);
    }));
    final EarningRule noTobacco = rule(4, "exclusion", terms(t -> t.categories = Set.of("tobacco")));

    @Test
    void theBestPromotionalMultiplierOfALineAppliesInBestMode() {
        EarningRules rules = new EarningRules(List.of(perYuan, doubleSkincare, memberDay, noTobacco), "best");

        // skincare 100 × 3 (member day beats ×2) + snacks 150 × 3 + tobacco excluded
        assertThat(rules.earn(BASKET, null, BigDecimal.ONE).points()).isEqualTo(750);
    }

    @Test
    void promotionalMultipliersMultiplyInStackModeAndTheTierMultipliesOnTop() {
        EarningRules rules = new EarningRules(List.of(perYuan, doubleSkincare, memberDay, noTobacco), "stack");

        // (100 × 2 × 3 + 150 × 3) × 1.5
        assertThat(rules.earn(BASKET, null, new BigDecimal("1.5")).points()).isEqualTo(1575);
    }

    @Test
    void aBasketBelowTheMinimumEarnsNothing() {
        EarningRule minimum = rule(5, "minimum_basket", terms(t -> t.minBasketCents = 500_00L));

        assertThat(new EarningRules(List.of(perYuan, minimum), "best").earn(BASKET, null, BigDecimal.ONE).points()).isZero();
    }

    @Test
    void theBirthdayMonthMultiplierAppliesInTheCustomersBirthMonthOnly() {
        EarningRule birthday = rule(6, "birthday_month", terms(t -> t.factor = BigDecimal.valueOf(2)));
        EarningRules rules = new EarningRules(List.of(perYuan, birthday), "best");

        assertThat(rules.earn(BASKET, "1114", BigDecimal.ONE).points()).isEqualTo(600);
        assertThat(rules.earn(BASKET, "0314", BigDecimal.ONE).points()).isEqualTo(300);
    }

    @Test
    void fractionsAreSummedOverLinesAndRoundedDownOnce() {
        EarningRule rate = rule(7, "per_amount", terms(t -> t.pointsPerYuan = new BigDecimal("0.5")));
        Basket odd = new Basket(1L, MEMBER_DAY.plusDays(1), 3_03, List.of(new Line(1, null, 1_01), new Line(2, null, 2_02)));

        assertThat(new EarningRules(List.of(rate), "best").earn(odd, null, BigDecimal.ONE).points()).isEqualTo(1);
    }

    @Test
    void rulesOutsideTheirWindowOrStoreDoNotApply() {
        EarningRule later = new EarningRule(8, "later", "special_days", true, MEMBER_DAY.plusDays(1), null, memberDay.terms());
        EarningRule otherStore = rule(9, "multiplier", terms(t -> {
            t.factor = BigDecimal.TEN;
            t.storeIds = Set.of(99L);
        }));

        assertThat(new EarningRules(List.of(perYuan, later, otherStore), "best").earn(BASKET, null, BigDecimal.ONE).points())
                .isEqualTo(300);
    }

    @Test
    void overlappingRulesOfOneKindAreShownAsConflictsWithTheirResolution() {
        EarningRule anotherRate = new EarningRule(10, "2 per yuan in December", "per_amount", true, LocalDate.of(2026, 12, 1),
                LocalDate.of(2026, 12, 31), terms(t -> t.pointsPerYuan = BigDecimal.TWO));
        EarningRule weekend = rule(11, "special_days", terms(t -> {
            t.factor = BigDecimal.TWO;
            t.weekdays = Set.of(6, 7);
        }));
        EarningRule singlesDay = rule(12, "special_days", terms(t -> {
            t.factor = BigDecimal.TWO;
            t.dates = Set.of(LocalDate.of(2026, 11, 11));
        }));

        var conflicts = EarningRules.conflicts(List.of(perYuan, anotherRate, memberDay, weekend, singlesDay, noTobacco), "best");

        assertThat(conflicts).extracting(c -> c.ruleId() + "/" + c.otherId() + ":" + c.resolution())
                .containsExactlyInAnyOrder("1/10:best", "3/11:best");
        assertThat(conflicts.getFirst().from()).isEqualTo(LocalDate.of(2026, 12, 1));
    }

    @Test
    void expiryFallsAtTheEndOfTheMonthOrYearAfterEarningInTheStoresCalendar() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        Instant earned = Instant.parse("2026-03-15T04:00:00Z");

        assertThat(Expiry.of(settings("end_of_month", 0), earned, shanghai)).isEqualTo(Instant.parse("2026-03-31T16:00:00Z"));
        assertThat(Expiry.of(settings("end_of_year", 1), earned, shanghai)).isEqualTo(Instant.parse("2027-12-31T16:00:00Z"));
        assertThat(Expiry.of(settings("days", 30), earned, shanghai)).isEqualTo(Instant.parse("2026-04-14T04:00:00Z"));
        assertThat(Expiry.of(settings("never", 0), earned, shanghai)).isNull();
    }

    private static Settings settings(String policy, int n) {
        return new Settings(null, 7, policy, n, 30, "record", "best", 100, 50, 100000, "spend", "anniversary", "0101", 10);
    }

    private static EarningRule rule(long id, String kind, RuleTerms terms) {
        return new EarningRule(id, kind + " " + id, kind, true, null, null, terms);
    }

    /** Terms built by setting only what a rule uses. */
    private static RuleTerms terms(java.util.function.Consumer<Draft> set) {
        Draft d = new Draft();
        set.accept(d);
        return new RuleTerms(d.pointsPerYuan, d.factor, d.categories, Set.of(), d.skuIds, Set.of(), d.storeIds,
                d.minBasketCents, d.dates, d.daysOfMonth, d.weekdays, null, null, null, null, null);
    }

    private static final class Draft {
        BigDecimal pointsPerYuan;
        BigDecimal factor;
        Set<String> categories = Set.of();
        Set<Long> skuIds = Set.of();
        Set<Long> storeIds = Set.of();
        Long minBasketCents;
        Set<LocalDate> dates = Set.of();
        Set<Integer> daysOfMonth = Set.of();
        Set<Integer> weekdays = Set.of();
    }
}
