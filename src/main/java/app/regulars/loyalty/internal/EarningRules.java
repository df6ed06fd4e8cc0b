package app.regulars.loyalty.internal;

import app.regulars.loyalty.LoyaltyProgram.Conflict;
import app.regulars.loyalty.LoyaltyProgram.EarningRule;
import app.regulars.loyalty.LoyaltyProgram.RuleTerms;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the earning rules active on a day turn a basket into points. Pure: no database, no clock.
 *
 * <p>How rules combine (docs/decisions/0013): the highest per-amount rate applies (best-of); a line
 * of an excluded SKU or category earns nothing; below the highest minimum basket the receipt earns
 * nothing; the promotional multipliers of a line (category/SKU, special day, birthday month) apply
 * best-of (mode "best") or multiply (mode "stack"); the tier's multiplier always multiplies on top.
 * Points are computed per line in thousandths, summed, and rounded down once per receipt. Bonuses
 * of different kinds add; several rules of one bonus kind give the largest.
 */
final class EarningRules {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /** A basket as the receipt event tells it. */
    record Basket(Long storeId, LocalDate day, long totalCents, List<Line> lines) {}

    record Line(long skuId, String category, long amountCents) {}

    /**
     * @param points       the receipt's spend points
     * @param milliBySku   thousandths of a point per SKU, what a refund of that SKU reverses in proportion
     * @param applied      ids of the rules that changed the outcome
     */
    record Outcome(long points, Map<Long, Long> milliBySku, Map<Long, Long> amountBySku, Set<Long> applied) {}

    /** Grouped by kind: a receipt asks for five or six kinds, usually of none or one rule each. */
    private final Map<String, List<EarningRule>> byKind = new HashMap<>();
    private final boolean stack;

    EarningRules(List<EarningRule> rules, String multiplierMode) {
        rules.forEach(r -> byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r));
        this.stack = "stack".equals(multiplierMode);
    }

    /** The rules of a kind in force on that day, for that store (a rule without stores applies to all). */
    List<EarningRule> active(String kind, LocalDate day, Long storeId) {
        List<EarningRule> ofKind = byKind.get(kind);
        if (ofKind == null) {
            return List.of();
        }
        List<EarningRule> found = new ArrayList<>(ofKind.size());
        for (EarningRule r : ofKind) {
            if (r.activeOn(day) && inStore(r.terms(), storeId)) {
                found.add(r);
            }
        }
        return found;
    }

    /** What a receipt that earns nothing (bought before the programme) still records per SKU: the amounts. */
    static Outcome nothing(List<Line> lines) {
        return new Outcome(0, Map.of(), amounts(lines), Set.of());
    }

    private static Map<Long, Long> amounts(List<Line> lines) {
        Map<Long, Long> amounts = new LinkedHashMap<>();
        for (Line l : lines) {
            amounts.merge(l.skuId(), Math.max(0, l.amountCents()), Long::sum);
        }
        return amounts;
    }

    Outcome earn(Basket basket, String birthMmdd, BigDecimal tierMultiplier) {
        Set<Long> applied = new LinkedHashSet<>();
        Map<Long, Long> milli = new LinkedHashMap<>();
        Map<Long, Long> amounts = amounts(basket.lines());
        Optional<EarningRule> minimum = best(active("minimum_basket", basket.day(), basket.storeId()),
                r -> BigDecimal.valueOf(nz(r.terms().minBasketCents())));
        if (minimum.isPresent() && basket.totalCents() < nz(minimum.get().terms().minBasketCents())) {
            applied.add(minimum.get().id());
            return new Outcome(0, milli, amounts, applied);
        }
        Optional<EarningRule> base = best(active("per_amount", basket.day(), basket.storeId()),
                r -> nzd(r.terms().pointsPerYuan()));
        if (base.isEmpty()) {
            return new Outcome(0, milli, amounts, applied);
        }
        applied.add(base.get().id());
        BigDecimal rate = nzd(base.get().terms().pointsPerYuan());
        List<EarningRule> exclusions = active("exclusion", basket.day(), basket.storeId());
        List<EarningRule> multipliers = active("multiplier", basket.day(), basket.storeId());
        List<EarningRule> days = active("special_days", basket.day(), basket.storeId()).stream()
                .filter(r -> onDay(r.terms(), basket.day())).toList();
        List<EarningRule> birthday = birthMmdd != null && birthMmdd.length() == 4
                && Integer.parseInt(birthMmdd.substring(0, 2)) == basket.day().getMonthValue()
                ? active("birthday_month", basket.day(), basket.storeId()) : List.of();
        List<EarningRule> everyLine = new ArrayList<>(days);
        everyLine.addAll(birthday);
        BigDecimal tier = tierMultiplier == null ? BigDecimal.ONE : tierMultiplier;
        // rate × tier × 1000 once per receipt; a line's promotional factor multiplies it (exactly, as BigDecimal).
        Milli plain = new Milli(rate.multiply(tier).multiply(THOUSAND));
        long sum = 0;
        for (Line line : basket.lines()) {
            if (line.amountCents() <= 0) {
                continue;
            }
            EarningRule excluded = firstCovering(exclusions, line);
            if (excluded != null) {
                applied.add(excluded.id());
                milli.merge(line.skuId(), 0L, Long::sum);
                continue;
            }
            List<EarningRule> promos = promos(multipliers, everyLine, line);
            Milli perCent = promos.isEmpty() ? plain : new Milli(plain.perCent().multiply(factor(promos, applied)));
            long points = perCent.of(line.amountCents());
            milli.merge(line.skuId(), points, Long::sum);
            sum = Math.addExact(sum, points);
        }
        return new Outcome(Math.floorDiv(sum, 1000), milli, amounts, applied);
    }

    private static EarningRule firstCovering(List<EarningRule> rules, Line line) {
        for (EarningRule r : rules) {
            if (covers(r.terms(), line)) {
                return r;
            }
        }
        return null;
    }

    /** The line's multipliers, then the day's and the birthday's, in the order best-of breaks ties by. */
    private static List<EarningRule> promos(List<EarningRule> multipliers, List<EarningRule> everyLine, Line line) {
        if (multipliers.isEmpty()) {
            return everyLine;
        }
        List<EarningRule> promos = new ArrayList<>();
        for (EarningRule r : multipliers) {
            if (covers(r.terms(), line)) {
                promos.add(r);
            }
        }
        promos.addAll(everyLine);
        return promos;
    }

    /**
     * Thousandths of a point for an amount in cents: amount × {@code perCent} / 100, rounded down. In
     * long arithmetic when the factor is whole (the usual 1,000 or 1,500), with the same result.
     */
    private record Milli(BigDecimal perCent, long whole) {

        Milli(BigDecimal perCent) {
            this(perCent, isWholeLong(perCent) ? perCent.longValueExact() : -1);
        }

        long of(long amountCents) {
            if (whole >= 0 && amountCents < Long.MAX_VALUE / Math.max(1, whole)) {
                return Math.floorDiv(amountCents * whole, 100);
            }
            return BigDecimal.valueOf(amountCents).multiply(perCent).divide(HUNDRED, 0, RoundingMode.FLOOR).longValueExact();
        }

        private static boolean isWholeLong(BigDecimal v) {
            return v.signum() >= 0 && v.stripTrailingZeros().scale() <= 0 && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
        }
    }

    /** The largest points of the active rules of a bonus kind, with the rule that gives them. */
    Optional<EarningRule> bonus(String kind, LocalDate day, Long storeId) {
        return best(active(kind, day, storeId), r -> BigDecimal.valueOf(nz(r.terms().points())
                + nz(r.terms().referrerPoints()) + nz(r.terms().refereePoints())));
    }

    private BigDecimal factor(List<EarningRule> promos, Set<Long> applied) {
        if (promos.isEmpty()) {
            return BigDecimal.ONE;
        }
        if (stack) {
            BigDecimal f = BigDecimal.ONE;
            for (EarningRule r : promos) {
                f = f.multiply(nzd(r.terms().factor()));
                applied.add(r.id());
            }
            return f;
        }
        EarningRule top = best(promos, r -> nzd(r.terms().factor())).orElseThrow();
        if (nzd(top.terms().factor()).compareTo(BigDecimal.ONE) <= 0) {
            return BigDecimal.ONE;
        }
        applied.add(top.id());
        return nzd(top.terms().factor());
    }

    /** Active rules that compete for the same receipts or events on overlapping days. */
    static List<Conflict> conflicts(List<EarningRule> rules, String multiplierMode) {
        List<Conflict> found = new ArrayList<>();
        List<EarningRule> active = rules.stream().filter(EarningRule::active).toList();
        for (int i = 0; i < active.size(); i++) {
            for (int j = i + 1; j < active.size(); j++) {
                EarningRule a = active.get(i);
                EarningRule b = active.get(j);
                if (!competes(a, b)) {
                    continue;
                }
                LocalDate from = max(a.startsOn(), b.startsOn());
                LocalDate to = min(a.endsOn(), b.endsOn());
                if (from != null && to != null && from.isAfter(to)) {
                    continue;
                }
                found.add(new Conflict(a.id(), a.name(), b.id(), b.name(), from, to, resolution(a.kind(), multiplierMode)));
            }
        }
        return found;
    }

    private static boolean competes(EarningRule a, EarningRule b) {
        if (!a.kind().equals(b.kind()) || a.kind().equals("exclusion")) {
            return false;
        }
        RuleTerms x = a.terms();
        RuleTerms y = b.terms();
        if (!overlap(x.storeIds(), y.storeIds())) {
            return false;
        }
        return switch (a.kind()) {
            case "multiplier" -> itemsOverlap(x, y);
            case "special_days" -> sharesDay(x, y);
            case "interaction" -> Objects.equals(x.interactionType(), y.interactionType());
            default -> true;
        };
    }

    private static String resolution(String kind, String mode) {
        return switch (kind) {
            case "multiplier", "special_days", "birthday_month" -> "stack".equals(mode) ? "multiply" : "best";
            case "minimum_basket" -> "highest";
            default -> "best";
        };
    }

    private static boolean sharesDay(RuleTerms x, RuleTerms y) {
        for (LocalDate d : x.dates()) {
            if (onDay(y, d)) {
                return true;
            }
        }
        for (LocalDate d : y.dates()) {
            if (onDay(x, d)) {
                return true;
            }
        }
        if (intersects(x.daysOfMonth(), y.daysOfMonth()) || intersects(x.weekdays(), y.weekdays())) {
            return true;
        }
        // A day of the month falls on every weekday sooner or later.
        return !x.daysOfMonth().isEmpty() && !y.weekdays().isEmpty() || !x.weekdays().isEmpty() && !y.daysOfMonth().isEmpty();
    }

    private static boolean itemsOverlap(RuleTerms x, RuleTerms y) {
        boolean xAll = x.skuIds().isEmpty() && x.categories().isEmpty();
        boolean yAll = y.skuIds().isEmpty() && y.categories().isEmpty();
        return xAll || yAll || intersects(x.skuIds(), y.skuIds()) || intersects(x.categories(), y.categories());
    }

    static boolean onDay(RuleTerms t, LocalDate day) {
        return t.dates().contains(day) || t.daysOfMonth().contains(day.getDayOfMonth())
                || t.weekdays().contains(day.getDayOfWeek().getValue());
    }

    private static boolean covers(RuleTerms t, Line line) {
        boolean anything = t.skuIds().isEmpty() && t.categories().isEmpty();
        return anything || t.skuIds().contains(line.skuId()) || line.category() != null && t.categories().contains(line.category());
    }

    private static boolean inStore(RuleTerms t, Long storeId) {
        return t.storeIds().isEmpty() || storeId != null && t.storeIds().contains(storeId);
    }

    /** Empty on either side means "all", which overlaps everything. */
    private static boolean overlap(Collection<?> a, Collection<?> b) {
        return a.isEmpty() || b.isEmpty() || intersects(a, b);
    }

    private static boolean intersects(Collection<?> a, Collection<?> b) {
        return a.stream().anyMatch(b::contains);
    }

    private static Optional<EarningRule> best(List<EarningRule> rules, java.util.function.Function<EarningRule, BigDecimal> by) {
        EarningRule best = null;
        for (EarningRule r : rules) {
            if (best == null || by.apply(r).compareTo(by.apply(best)) > 0) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static BigDecimal nzd(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
