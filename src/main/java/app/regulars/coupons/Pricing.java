package app.regulars.coupons;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What coupons take off a basket, and which combination takes off most. Pure functions, no state.
 *
 * <p>Applying several coupons: they are applied in a fixed order (threshold, fixed, percent, gift; then by
 * coupon id). Each coupon's threshold or minimum spend is checked against the in-scope amount before
 * any coupon (标价满额); its discount is taken from what its in-scope lines still cost after the coupons
 * before it, and spread over those lines in proportion (largest remainder, to the cent), so no line ever
 * goes below zero and a percentage applies after the 满减 (先满减后折扣). A gift takes nothing off the
 * money; its value counts for the choice and for the budget.
 *
 * <p>Best combination: every subset of the applicable coupons whose members all stack with each other
 * (and come from different templates) is applied; the highest value (discount plus gift value) wins, then
 * fewer coupons, then the one whose soonest-expiring coupon expires first, then the lower coupon ids.
 * Exhaustive, so the answer is optimal; the customer's {@value #MAX_CANDIDATES} most valuable applicable
 * coupons are considered (2^12 subsets at most).
 */
final class Pricing {

    static final int MAX_CANDIDATES = 12;

    private Pricing() {}

    /** One coupon's part of an application. */
    record Share(HeldCoupon coupon, long discountCents, long giftCents) {}

    /** Coupons applied to a basket: each one's part and each line's total discount. */
    record Applied(List<Share> shares, long[] lineDiscounts) {

        long discountCents() {
            return shares.stream().mapToLong(Share::discountCents).sum();
        }

        long giftCents() {
            return shares.stream().mapToLong(Share::giftCents).sum();
        }

        long value() {
            return discountCents() + giftCents();
        }

        static final Applied NONE = new Applied(List.of(), new long[0]);
    }

    /** Why the coupon cannot be used on this basket by this customer now, or null when it can (alone). */
    static CouponReason check(HeldCoupon c, Basket basket, Long customerId, Instant now) {
        if (customerId == null || c.customerId() != customerId) {
            return CouponReason.COUPON_NOT_OWNED;
        }
        if (c.redeemed()) {
            return CouponReason.COUPON_ALREADY_USED;
        }
        if (now.isBefore(c.validFrom())) {
            return CouponReason.COUPON_NOT_YET_VALID;
        }
        if (!now.isBefore(c.validUntil())) {
            return CouponReason.COUPON_EXPIRED;
        }
        CouponTemplate t = c.template();
        if (!t.storeIds().isEmpty() && !t.storeIds().contains(basket.storeId())) {
            return CouponReason.COUPON_OUT_OF_SCOPE;
        }
        long eligible = 0;
        boolean any = false;
        for (Basket.Line l : basket.lines()) {
            if (inScope(t, l)) {
                any = true;
                eligible += l.amount();
            }
        }
        if (!any || eligible <= 0) {
            return CouponReason.COUPON_OUT_OF_SCOPE;
        }
        if (eligible < minimum(t)) {
            return CouponReason.THRESHOLD_NOT_MET;
        }
        return null;
    }

    static boolean inScope(CouponTemplate t, Basket.Line l) {
        if (t.categories().isEmpty() && t.skus().isEmpty()) {
            return true;
        }
        if (t.skus().contains(l.sku())) {
            return true;
        }
        for (String category : l.categories()) {
            if (t.categories().contains(category)) {
                return true;
            }
        }
        return false;
    }

    /** The in-scope amount a coupon needs before it applies. */
    static long minimum(CouponTemplate t) {
        return t.kind() == CouponKind.THRESHOLD ? t.tiers().getFirst().minCents() : t.minSpendCents();
    }

    /** Applies coupons that passed {@link #check} to the basket, in the documented order. */
    static Applied apply(List<HeldCoupon> coupons, Basket basket) {
        List<Basket.Line> lines = basket.lines();
        long[] remaining = new long[lines.size()];
        for (int i = 0; i < remaining.length; i++) {
            remaining[i] = Math.max(0, lines.get(i).amount());
        }
        List<HeldCoupon> ordered = new ArrayList<>(coupons);
        ordered.sort(Comparator.comparingInt((HeldCoupon c) -> order(c.template().kind())).thenComparingLong(HeldCoupon::id));
        List<Share> shares = new ArrayList<>();
        for (HeldCoupon c : ordered) {
            CouponTemplate t = c.template();
            long original = 0;
            long current = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (inScope(t, lines.get(i))) {
                    original += Math.max(0, lines.get(i).amount());
                    current += remaining[i];
                }
            }
            long discount = switch (t.kind()) {
                case FIXED -> Math.min(t.amountCents(), current);
                case PERCENT -> {
                    long off = current * t.percentOff() / 100;
                    yield t.capCents() == null ? off : Math.min(off, t.capCents());
                }
                case THRESHOLD -> Math.min(tierOff(t, original), current);
                case GIFT -> 0;
            };
            if (discount > 0) {
                spread(discount, t, lines, remaining);
            }
            shares.add(new Share(c, discount, t.kind() == CouponKind.GIFT ? t.giftValueCents() : 0));
        }
        long[] lineDiscounts = new long[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            lineDiscounts[i] = Math.max(0, lines.get(i).amount()) - remaining[i];
        }
        return new Applied(shares, lineDiscounts);
    }

    /** The best combination of coupons that each passed {@link #check}; NONE when none. */
    static Applied best(List<HeldCoupon> applicable, Basket basket) {
        List<HeldCoupon> candidates = new ArrayList<>(applicable);
        if (candidates.size() > MAX_CANDIDATES) {
            candidates.sort(Comparator.comparingLong((HeldCoupon c) -> -apply(List.of(c), basket).value())
                    .thenComparing(HeldCoupon::validUntil).thenComparingLong(HeldCoupon::id));
            candidates = candidates.subList(0, MAX_CANDIDATES);
        }
        int n = candidates.size();
        int[] compatible = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && candidates.get(i).template().stacksWith(candidates.get(j).template())) {
                    compatible[i] |= 1 << j;
                }
            }
        }
        Applied best = Applied.NONE;
        for (int mask = 1; mask < 1 << n; mask++) {
            if (!allStack(mask, compatible)) {
                continue;
            }
            List<HeldCoupon> subset = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(candidates.get(i));
                }
            }
            Applied a = apply(subset, basket);
            if (a.value() > 0 && better(a, best)) {
                best = a;
            }
        }
        return best;
    }

    /** Whether every coupon of the set stacks with every other one. */
    static boolean allStack(List<HeldCoupon> coupons) {
        for (int i = 0; i < coupons.size(); i++) {
            for (int j = i + 1; j < coupons.size(); j++) {
                if (!coupons.get(i).template().stacksWith(coupons.get(j).template())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean allStack(int mask, int[] compatible) {
        for (int i = 0; i < compatible.length; i++) {
            if ((mask & 1 << i) != 0 && (mask & ~(1 << i) & ~compatible[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean better(Applied a, Applied b) {
        if (b.shares().isEmpty()) {
            return true;
        }
        if (a.value() != b.value()) {
            return a.value() > b.value();
        }
        if (a.shares().size() != b.shares().size()) {
            return a.shares().size() < b.shares().size();
        }
        Instant soonestA = a.shares().stream().map(s -> s.coupon().validUntil()).min(Comparator.naturalOrder()).orElseThrow();
        Instant soonestB = b.shares().stream().map(s -> s.coupon().validUntil()).min(Comparator.naturalOrder()).orElseThrow();
        if (!soonestA.equals(soonestB)) {
            return soonestA.isBefore(soonestB);
        }
        List<Long> idsA = a.shares().stream().map(s -> s.coupon().id()).sorted().toList();
        List<Long> idsB = b.shares().stream().map(s -> s.coupon().id()).sorted().toList();
        for (int i = 0; i < idsA.size(); i++) {
            if (!idsA.get(i).equals(idsB.get(i))) {
                return idsA.get(i) < idsB.get(i);
            }
        }
        return false;
    }

    private static long tierOff(CouponTemplate t, long amount) {
        long off = 0;
        for (Tier tier : t.tiers()) {
            if (amount >= tier.minCents()) {
                off = Math.max(off, tier.offCents());
            }
        }
        return off;
    }

    private static int order(CouponKind kind) {
        return switch (kind) {
            case THRESHOLD -> 0;
            case FIXED -> 1;
            case PERCENT -> 2;
            case GIFT -> 3;
        };
    }

    /** Takes {@code discount} off the in-scope lines in proportion to what they still cost, to the cent. */
    private static void spread(long discount, CouponTemplate t, List<Basket.Line> lines, long[] remaining) {
        long total = 0;
        List<Integer> scope = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (inScope(t, lines.get(i)) && remaining[i] > 0) {
                scope.add(i);
                total += remaining[i];
            }
        }
        long given = 0;
        long[] part = new long[lines.size()];
        BigInteger[] rest = new BigInteger[lines.size()];
        BigInteger d = BigInteger.valueOf(discount);
        BigInteger sum = BigInteger.valueOf(total);
        for (int i : scope) {
            BigInteger[] qr = d.multiply(BigInteger.valueOf(remaining[i])).divideAndRemainder(sum);
            part[i] = qr[0].longValueExact();
            rest[i] = qr[1];
            given += part[i];
        }
        List<Integer> byRest = new ArrayList<>(scope);
        byRest.sort(Comparator.comparing((Integer i) -> rest[i]).reversed().thenComparingInt(i -> i));
        for (int k = 0; given < discount; k = (k + 1) % byRest.size()) {
            int i = byRest.get(k);
            if (part[i] < remaining[i]) {
                part[i]++;
                given++;
            }
        }
        for (int i : scope) {
            remaining[i] -= part[i];
        }
    }
}
