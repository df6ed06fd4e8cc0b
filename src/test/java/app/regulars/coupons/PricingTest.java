package app.regulars.coupons;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Applying coupons never takes a line below zero, spreads to the cent, and the best set beats each coupon alone. */
class PricingTest {

    private static final Instant FAR = Instant.parse("2099-01-01T00:00:00Z");

    @Property(tries = 200, seed = "20261122")
    void discountsAreSpreadToTheCentAndNeverExceedALine(
            @ForAll @Size(min = 1, max = 6) List<@LongRange(min = 1, max = 500_00) Long> prices,
            @ForAll @IntRange(min = 1, max = 99) int percent,
            @ForAll @LongRange(min = 1, max = 300_00) long fixed,
            @ForAll @LongRange(min = 1_00, max = 800_00) long threshold) {
        List<Basket.Line> lines = new ArrayList<>();
        for (int i = 0; i < prices.size(); i++) {
            lines.add(new Basket.Line("SKU-" + i, Set.of(i % 2 == 0 ? "even" : "odd"), 1, prices.get(i), 0));
        }
        Basket basket = new Basket(1, lines);
        List<HeldCoupon> coupons = List.of(
                coupon(1, template(1, CouponKind.THRESHOLD, null, null, List.of(new Tier(threshold, threshold / 5)), Set.of())),
                coupon(2, template(2, CouponKind.FIXED, fixed, null, List.of(), Set.of("even"))),
                coupon(3, template(3, CouponKind.PERCENT, null, percent, List.of(), Set.of())));
        List<HeldCoupon> applicable = coupons.stream().filter(c -> Pricing.check(c, basket, 7L, Instant.now()) == null).toList();

        Pricing.Applied all = Pricing.apply(applicable, basket);
        long spread = 0;
        for (int i = 0; i < lines.size(); i++) {
            assertThat(all.lineDiscounts()[i]).isBetween(0L, lines.get(i).amount());
            spread += all.lineDiscounts()[i];
        }
        assertThat(spread).isEqualTo(all.discountCents());
        assertThat(all.discountCents()).isLessThanOrEqualTo(basket.total());

        Pricing.Applied best = Pricing.best(applicable, basket);
        for (HeldCoupon c : applicable) {
            assertThat(best.value()).isGreaterThanOrEqualTo(Pricing.apply(List.of(c), basket).value());
        }
        assertThat(best.value()).isGreaterThanOrEqualTo(all.value());
    }

    private static HeldCoupon coupon(long id, CouponTemplate t) {
        return new HeldCoupon(id, "C" + id, t, 7L, false, Instant.EPOCH, FAR);
    }

    private static CouponTemplate template(long id, CouponKind kind, Long amount, Integer percent, List<Tier> tiers,
                                           Set<String> categories) {
        return new CouponTemplate(id, "t" + id, kind, amount, percent, null, tiers, null, null, 0, categories, Set.of(),
                Set.of(), null, null, 30, Stacking.ANY, Set.of(), null, null, null, 0, 0, 0, true);
    }
}
