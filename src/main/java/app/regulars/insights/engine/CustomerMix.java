package app.regulars.insights.engine;

import app.regulars.insights.CustomerInsights.InteractionCount;
import app.regulars.insights.CustomerInsights.SpendFigures;
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

    /** One running total, by dictionary code. */
    private static final class Tally {
        int orders;
        long net;
        int lastDay = Integer.MIN_VALUE;

        void add(long amount, boolean refund, int day, boolean newOrder) {
            net += refund ? -amount : amount;
            if (!refund && newOrder) {
                orders++;
                lastDay = Math.max(lastDay, day);
            }
        }
    }

    /** By category, most spent first; shares of the net spend of all lines. */
    static List<SpendFigures> categories(CustomerIndex x, int c, int today) {
        CustomerRows rows = x.receipts;
        Map<Integer, Tally> byCategory = new HashMap<>();
        if (rows.count[c] > 0) {
            Segment s = rows.segmentOf(c);
            Segment l = s.lines;
            for (int r = rows.start[c], end = r + rows.count[c]; r < end; r++) {
                boolean refund = Receipts.refund(s.cols[Receipts.ATTRS][r]);
                int day = s.cols[Receipts.DAY][r];
                List<Integer> counted = new ArrayList<>(2); // a receipt is one order of each of its categories
                for (int k = s.lineStart(r), lineEnd = s.lineEnd(r); k < lineEnd; k++) {
                    int category = Receipts.category(l.cols[Receipts.PACKED][k]);
                    boolean first = !counted.contains(category) && counted.add(category);
                    byCategory.computeIfAbsent(category, key -> new Tally())
                            .add(l.value(Receipts.LINE_AMOUNT, k), refund, day, first);
                }
            }
        }
        return ranked(byCategory, x.categories, today);
    }

    /** By store, most spent first; shares of the net spend of all receipts. */
    static List<SpendFigures> stores(CustomerIndex x, int c, int today) {
        CustomerRows rows = x.receipts;
        Map<Integer, Tally> byStore = new HashMap<>();
        if (rows.count[c] > 0) {
            Segment s = rows.segmentOf(c);
            for (int r = rows.start[c], end = r + rows.count[c]; r < end; r++) {
                int a = s.cols[Receipts.ATTRS][r];
                byStore.computeIfAbsent(Receipts.store(a), key -> new Tally())
                        .add(s.value(Receipts.AMOUNT, r), Receipts.refund(a), s.cols[Receipts.DAY][r], true);
            }
        }
        return ranked(byStore, x.stores, today);
    }

    /** The tallies as figures named by their codes' texts, most spent first (then by name). */
    private static List<SpendFigures> ranked(Map<Integer, Tally> tallies, Dictionary names, int today) {
        long total = tallies.values().stream().mapToLong(t -> t.net).sum();
        List<SpendFigures> figures = new ArrayList<>();
        tallies.forEach((code, t) -> figures.add(new SpendFigures(names.text(code), t.orders, t.net,
                t.orders == 0 ? null : LocalDate.ofEpochDay(t.lastDay), t.orders == 0 ? null : today - t.lastDay,
                total <= 0 ? null : (double) t.net / total)));
        figures.sort(Comparator.comparingLong(SpendFigures::spentCents).reversed()
                .thenComparing(SpendFigures::code, Comparator.nullsLast(Comparator.naturalOrder())));
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
}
