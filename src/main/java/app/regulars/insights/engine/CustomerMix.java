package app.regulars.insights.engine;

import app.regulars.insights.CustomerInsights.CategoryFigures;
import app.regulars.insights.CustomerInsights.InteractionCount;
import app.regulars.insights.CustomerInsights.StoreFigures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a customer buys where: net spend by category (the lines' own category; none is its own row) and
 * by store, with orders and the last purchase day, and interactions by type. The definitions are those
 * of the rule aggregates over the same rows ({@code orders(category = …)} for a leaf category,
 * {@code spent(store = …)}, {@code events(type)}), so a figure here and a rule about it agree.
 */
final class CustomerMix {

    /** The days {@link InteractionCount#recent()} counts, today included. */
    static final int RECENT_DAYS = 90;

    private CustomerMix() {}

    /** One running total. */
    private static final class Tally {
        int orders;
        long net;
        int lastDay = Integer.MIN_VALUE;
    }

    /** By category, most spent first; shares of the net spend of all lines. */
    static List<CategoryFigures> categories(CustomerIndex x, int c) {
        CustomerRows rows = x.receipts;
        Map<Integer, Tally> byCategory = new HashMap<>();
        if (rows.count[c] > 0) {
            Segment s = rows.segmentOf(c);
            Segment l = s.lines;
            for (int r = rows.start[c], end = r + rows.count[c]; r < end; r++) {
                boolean refund = Receipts.refund(s.cols[Receipts.ATTRS][r]);
                int day = s.cols[Receipts.DAY][r];
                List<Integer> counted = new ArrayList<>(2);
                for (int k = s.lineStart(r), lineEnd = s.lineEnd(r); k < lineEnd; k++) {
                    int category = Receipts.category(l.cols[Receipts.PACKED][k]);
                    Tally t = byCategory.computeIfAbsent(category, key -> new Tally());
                    long amount = l.value(Receipts.LINE_AMOUNT, k);
                    t.net += refund ? -amount : amount;
                    if (!refund && !counted.contains(category)) {
                        counted.add(category);
                        t.orders++;
                        t.lastDay = Math.max(t.lastDay, day);
                    }
                }
            }
        }
        long total = byCategory.values().stream().mapToLong(t -> t.net).sum();
        List<CategoryFigures> figures = new ArrayList<>();
        byCategory.forEach((code, t) -> figures.add(new CategoryFigures(x.categories.text(code), t.orders, t.net,
                day(t.lastDay), share(t.net, total))));
        figures.sort(Comparator.comparingLong(CategoryFigures::spentCents).reversed()
                .thenComparing(CategoryFigures::category, Comparator.nullsLast(Comparator.naturalOrder())));
        return figures;
    }

    /** By store, most spent first; shares of the net spend of all receipts. */
    static List<StoreFigures> stores(CustomerIndex x, int c) {
        CustomerRows rows = x.receipts;
        Map<Integer, Tally> byStore = new HashMap<>();
        if (rows.count[c] > 0) {
            Segment s = rows.segmentOf(c);
            for (int r = rows.start[c], end = r + rows.count[c]; r < end; r++) {
                int a = s.cols[Receipts.ATTRS][r];
                Tally t = byStore.computeIfAbsent(Receipts.store(a), key -> new Tally());
                long amount = s.value(Receipts.AMOUNT, r);
                boolean refund = Receipts.refund(a);
                t.net += refund ? -amount : amount;
                if (!refund) {
                    t.orders++;
                    t.lastDay = Math.max(t.lastDay, s.cols[Receipts.DAY][r]);
                }
            }
        }
        long total = byStore.values().stream().mapToLong(t -> t.net).sum();
        List<StoreFigures> figures = new ArrayList<>();
        byStore.forEach((code, t) -> figures.add(new StoreFigures(x.stores.text(code), t.orders, t.net, day(t.lastDay),
                share(t.net, total))));
        figures.sort(Comparator.comparingLong(StoreFigures::spentCents).reversed()
                .thenComparing(StoreFigures::store, Comparator.nullsLast(Comparator.naturalOrder())));
        return figures;
    }

    /** By type in the index's order: all of them, and those of the last {@link #RECENT_DAYS} days. */
    static List<InteractionCount> interactions(CustomerIndex x, int c, int today) {
        CustomerRows rows = x.interactions;
        int types = x.interactionTypes.size();
        int[] all = new int[types + 1];
        int[] recent = new int[types + 1];
        if (rows.count[c] > 0) {
            Segment s = rows.segmentOf(c);
            for (int r = rows.start[c], end = r + rows.count[c]; r < end; r++) {
                int type = Receipts.interactionType(s.cols[Receipts.I_ATTRS][r]);
                int day = s.cols[Receipts.I_DAY][r];
                all[type]++;
                recent[type] += day > today - RECENT_DAYS && day <= today ? 1 : 0;
            }
        }
        List<InteractionCount> counts = new ArrayList<>();
        for (int type = 1; type <= types; type++) {
            if (all[type] > 0) {
                counts.add(new InteractionCount(x.interactionTypes.text(type), all[type], recent[type]));
            }
        }
        return counts;
    }

    private static LocalDate day(int epochDay) {
        return epochDay == Integer.MIN_VALUE ? null : LocalDate.ofEpochDay(epochDay);
    }

    /** A part of the net total; none when nothing was spent on balance. */
    private static Double share(long part, long total) {
        return total <= 0 ? null : (double) part / total;
    }
}
