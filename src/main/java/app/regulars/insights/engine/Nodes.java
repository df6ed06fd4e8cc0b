package app.regulars.insights.engine;

import app.regulars.insights.rule.Rule.Operator;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/** The node kinds of a compiled {@link Program}. Each evaluates customers [from, from + n). */
final class Nodes {

    private Nodes() {}

    // ---- values ------------------------------------------------------------------------------

    /** A number (dates are epoch days) per customer; NaN is "no value". */
    abstract static class Num {
        final double[] out = new double[Program.BLOCK];

        abstract void eval(int from, int n);
    }

    /** A text per customer as a code of {@link #dictionary}; 0 is "no value". */
    abstract static class Text {
        final int[] out = new int[Program.BLOCK];
        final Dictionary dictionary;

        Text(Dictionary dictionary) {
            this.dictionary = dictionary;
        }

        abstract void eval(int from, int n);
    }

    static final class NumConst extends Num {
        NumConst(double v) {
            Arrays.fill(out, v);
        }

        @Override
        void eval(int from, int n) {
        }
    }

    static final class TextConst extends Text {
        final String value;

        TextConst(String value) {
            super(null);
            this.value = value;
        }

        @Override
        void eval(int from, int n) {
        }
    }

    /** A per-customer number read by a function of the ordinal (profile fields, scores, custom fields). */
    static final class NumOf extends Num {
        private final IntToDoubleFunction f;

        NumOf(IntToDoubleFunction f) {
            this.f = f;
        }

        @Override
        void eval(int from, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = f.applyAsDouble(from + i);
            }
        }
    }

    static final class TextOf extends Text {
        private final IntUnaryOperator f;

        TextOf(Dictionary dictionary, IntUnaryOperator f) {
            super(dictionary);
            this.f = f;
        }

        @Override
        void eval(int from, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = f.applyAsInt(from + i);
            }
        }
    }

    /** A metric column filled by {@link BlockMetrics} for the whole block; a part of the block reads its slice. */
    static final class NumMetric extends Num {
        private final BlockMetrics block;
        private final double[] column;

        NumMetric(BlockMetrics block, double[] column) {
            this.block = block;
            this.column = column;
        }

        @Override
        void eval(int from, int n) {
            System.arraycopy(column, from - block.from, out, 0, n);
        }
    }

    static final class TextMetric extends Text {
        private final BlockMetrics block;
        private final int[] column;

        TextMetric(Dictionary dictionary, BlockMetrics block, int[] column) {
            super(dictionary);
            this.block = block;
            this.column = column;
        }

        @Override
        void eval(int from, int n) {
            System.arraycopy(column, from - block.from, out, 0, n);
        }
    }

    static final class Arithmetic extends Num {
        private final Num left;
        private final Num right;
        private final char op;

        Arithmetic(Num left, char op, Num right) {
            this.left = left;
            this.op = op;
            this.right = right;
        }

        @Override
        void eval(int from, int n) {
            left.eval(from, n);
            right.eval(from, n);
            double[] a = left.out;
            double[] b = right.out;
            for (int i = 0; i < n; i++) {
                out[i] = switch (op) {
                    case '+' -> a[i] + b[i];
                    case '-' -> a[i] - b[i];
                    case '*' -> a[i] * b[i];
                    default -> b[i] == 0 ? Double.NaN : a[i] / b[i];
                };
            }
        }
    }

    /**
     * Days since the last sale, or the last sale's day: read from the newest row back, without
     * measuring anything else (the sleeping-customers question asks only this).
     */
    static final class LastSale extends Num {
        private final CustomerIndex index;
        private final int[] today;
        private final boolean asDate;

        LastSale(CustomerIndex index, int[] today, boolean asDate) {
            this.index = index;
            this.today = today;
            this.asDate = asDate;
        }

        @Override
        void eval(int from, int n) {
            CustomerRows rows = index.receipts;
            for (int i = 0; i < n; i++) {
                int c = from + i;
                Segment s = rows.segmentOf(c);
                int[] day = s.cols[Receipts.DAY];
                int[] attrs = s.cols[Receipts.ATTRS];
                double v = Double.NaN;
                for (int first = rows.start[c], r = first + rows.count[c] - 1; r >= first; r--) {
                    if (!Receipts.refund(attrs[r])) {
                        v = asDate ? day[r] : today[index.zone[c]] - day[r];
                        break;
                    }
                }
                out[i] = v;
            }
        }
    }

    /** Per-customer metrics measured once per block for all metric fields of the rule. */
    static final class BlockMetrics {
        private final Metrics metrics;
        private final Map<String, double[]> numbers = new LinkedHashMap<>();
        private final Map<String, int[]> texts = new LinkedHashMap<>();

        BlockMetrics(Metrics metrics) {
            this.metrics = metrics;
            metrics.cycles = false;
            metrics.months = false;
            metrics.holidaySpend = false;
        }

        double[] number(String name) {
            double[] column = numbers.computeIfAbsent(name, k -> new double[Program.BLOCK]);
            // Only the figures some field needs are worked out per customer.
            metrics.cycles = numbers.containsKey("repurchase_cycle_days")
                    || numbers.containsKey("next_expected_purchase_date");
            metrics.months = numbers.containsKey("active_months");
            metrics.holidaySpend = numbers.containsKey("holiday_share");
            return column;
        }

        int[] text(String name) {
            return texts.computeIfAbsent(name, k -> new int[Program.BLOCK]);
        }

        /** The first ordinal of the block the columns hold. */
        int from;

        void block(int from, int n) {
            this.from = from;
            if (numbers.isEmpty() && texts.isEmpty()) {
                return;
            }
            for (int i = 0; i < n; i++) {
                metrics.measure(from + i, !texts.isEmpty());
                for (Map.Entry<String, double[]> e : numbers.entrySet()) {
                    e.getValue()[i] = value(e.getKey());
                }
                for (Map.Entry<String, int[]> e : texts.entrySet()) {
                    e.getValue()[i] = switch (e.getKey()) {
                        case "preferred_payment" -> metrics.preferredPayment;
                        case "preferred_channel" -> metrics.preferredChannel;
                        default -> metrics.preferredStore;
                    };
                }
            }
        }

        private double value(String name) {
            Metrics m = metrics;
            return switch (name) {
                case "days_since_last_purchase", "recency" -> m.daysSinceLastPurchase();
                case "days_since_first_purchase" -> m.daysSinceFirstPurchase();
                case "tenure_days" -> m.tenureDays();
                case "frequency" -> m.sales;
                case "monetary" -> m.monetary();
                case "aov" -> m.aov();
                case "first_purchase_date" -> m.firstPurchaseDate();
                case "last_purchase_date" -> m.lastPurchaseDate();
                case "repurchase_cycle_days" -> m.cycle;
                case "next_expected_purchase_date" -> m.nextExpectedPurchaseDate();
                case "discount_rate" -> m.discountRate();
                case "coupon_redemption_rate" -> m.couponRedemptionRate();
                case "returns_rate" -> m.returnsRate();
                case "active_months" -> m.activeMonths;
                case "holiday_share" -> m.holidayShare();
                default -> throw new IllegalStateException(name);
            };
        }
    }

    // ---- aggregates ---------------------------------------------------------------------------

    /** Which rows an aggregate reads: a day window per timezone and the filters, as masks. */
    static final class RowFilter {
        int[] lo;
        int[] hi;
        boolean[] store;   // by store code; null: any
        boolean[] channel;
        boolean[] payment;
        boolean[] category; // by category code (0: a line without category); null: any
        BitSet[] skuIn = new BitSet[0];
        boolean[] skuNegated = new boolean[0];
        boolean[] coupon;  // [false, true]; null: any

        boolean lineFiltered() {
            return category != null || skuIn.length > 0 || coupon != null;
        }

        boolean receiptMatches(int attrs) {
            return (store == null || store[Receipts.store(attrs)])
                    && (channel == null || channel[Receipts.channel(attrs)])
                    && (payment == null || payment[Receipts.payment(attrs)]);
        }

        boolean lineMatches(int sku, int packed) {
            if (category != null && !category[Receipts.category(packed)]) {
                return false;
            }
            if (coupon != null && !coupon[Receipts.lineCoupon(packed) ? 1 : 0]) {
                return false;
            }
            return skuMatches(sku);
        }

        boolean skuMatches(int sku) {
            for (int k = 0; k < skuIn.length; k++) {
                if (skuIn[k].get(sku) == skuNegated[k]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** orders, spent, avg/min/max_spent, quantity, refunds and distinct over receipts. */
    static final class ReceiptAggregate extends Num {
        private static final int ORDERS = 0;
        private static final int REFUNDS = 1;
        private static final int SPENT = 2;
        private static final int AVG = 3;
        private static final int MIN = 4;
        private static final int MAX = 5;
        private static final int QUANTITY = 6;
        private static final int DISTINCT = 7;

        private final int function;
        private final String dimension;
        private final RowFilter filter;
        private final CustomerIndex index;
        private int[] seen = new int[64];

        ReceiptAggregate(String function, String dimension, RowFilter filter, CustomerIndex index) {
            this.function = switch (function) {
                case "orders" -> ORDERS;
                case "refunds" -> REFUNDS;
                case "spent" -> SPENT;
                case "avg_spent" -> AVG;
                case "min_spent" -> MIN;
                case "max_spent" -> MAX;
                case "quantity" -> QUANTITY;
                case "distinct" -> DISTINCT;
                default -> throw new IllegalArgumentException("unknown aggregate " + function);
            };
            this.dimension = dimension;
            this.filter = filter;
            this.index = index;
        }

        @Override
        void eval(int from, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = one(from + i);
            }
        }

        private double one(int c) {
            CustomerRows rows = index.receipts;
            int count = rows.count[c];
            if (count == 0) {
                return empty();
            }
            Segment s = rows.segmentOf(c);
            int z = index.zone[c];
            int lo = filter.lo[z];
            int hi = filter.hi[z];
            int[] day = s.cols[Receipts.DAY];
            int[] attrs = s.cols[Receipts.ATTRS];
            boolean lines = filter.lineFiltered();
            long rowsCounted = 0;
            long sum = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            int distinct = 0;
            // Newest first: a customer's rows are in day order, so a window ends the scan at its first day.
            for (int first = rows.start[c], r = first + count - 1; r >= first; r--) {
                int d = day[r];
                if (d < lo) {
                    break;
                }
                int a = attrs[r];
                if (d > hi || !filter.receiptMatches(a)) {
                    continue;
                }
                boolean refund = Receipts.refund(a);
                switch (function) {
                    case ORDERS, REFUNDS -> {
                        if (refund == (function == REFUNDS) && (!lines || anyLine(s, r))) {
                            rowsCounted++;
                        }
                    }
                    case SPENT -> {
                        long v = lines ? lineSum(s, r) : s.value(Receipts.AMOUNT, r);
                        sum += refund ? -v : v;
                    }
                    case AVG, MIN, MAX -> {
                        if (!refund && (!lines || anyLine(s, r))) {
                            long v = lines ? lineSum(s, r) : s.value(Receipts.AMOUNT, r);
                            rowsCounted++;
                            sum += v;
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                    }
                    case QUANTITY -> {
                        if (!refund) {
                            sum += lineQuantity(s, r);
                        }
                    }
                    default -> {
                        if (!refund) {
                            distinct = collect(s, r, d, a, lines, distinct);
                        }
                    }
                }
            }
            return switch (function) {
                case ORDERS, REFUNDS -> rowsCounted;
                case SPENT -> (double) sum / 100;
                case AVG -> rowsCounted == 0 ? Double.NaN : (double) sum / rowsCounted / 100;
                case MIN -> rowsCounted == 0 ? Double.NaN : (double) min / 100;
                case MAX -> rowsCounted == 0 ? Double.NaN : (double) max / 100;
                case QUANTITY -> sum;
                default -> countDistinct(distinct);
            };
        }

        private double empty() {
            return function == AVG || function == MIN || function == MAX ? Double.NaN : 0;
        }

        private boolean anyLine(Segment s, int r) {
            Segment l = s.lines;
            int[] sku = l.cols[Receipts.SKU];
            int[] packed = l.cols[Receipts.PACKED];
            for (int k = s.lineStart(r), end = s.lineEnd(r); k < end; k++) {
                if (filter.lineMatches(sku[k], packed[k])) {
                    return true;
                }
            }
            return false;
        }

        private long lineSum(Segment s, int r) {
            Segment l = s.lines;
            int[] sku = l.cols[Receipts.SKU];
            int[] packed = l.cols[Receipts.PACKED];
            long sum = 0;
            for (int k = s.lineStart(r), end = s.lineEnd(r); k < end; k++) {
                if (filter.lineMatches(sku[k], packed[k])) {
                    sum += l.value(Receipts.LINE_AMOUNT, k);
                }
            }
            return sum;
        }

        private long lineQuantity(Segment s, int r) {
            Segment l = s.lines;
            int[] sku = l.cols[Receipts.SKU];
            int[] packed = l.cols[Receipts.PACKED];
            long sum = 0;
            for (int k = s.lineStart(r), end = s.lineEnd(r); k < end; k++) {
                if (filter.lineMatches(sku[k], packed[k])) {
                    sum += Receipts.quantity(l, k);
                }
            }
            return sum;
        }

        /** Adds the row's value(s) of the distinct dimension to {@link #seen}. */
        private int collect(Segment s, int r, int day, int attrs, boolean lines, int n) {
            switch (dimension) {
                case "category", "product" -> {
                    Segment l = s.lines;
                    int[] sku = l.cols[Receipts.SKU];
                    int[] packed = l.cols[Receipts.PACKED];
                    for (int k = s.lineStart(r), end = s.lineEnd(r); k < end; k++) {
                        if (filter.lineMatches(sku[k], packed[k])) {
                            int v = dimension.equals("product") ? sku[k] : Receipts.category(packed[k]);
                            if (v != 0) {
                                n = add(n, v);
                            }
                        }
                    }
                    return n;
                }
                default -> {
                    if (lines && !anyLine(s, r)) {
                        return n;
                    }
                    int v = switch (dimension) {
                        case "store" -> Receipts.store(attrs);
                        case "channel" -> Receipts.channel(attrs);
                        default -> Days.month(day);
                    };
                    return add(n, v);
                }
            }
        }

        private int add(int n, int v) {
            if (n == seen.length) {
                seen = Arrays.copyOf(seen, n * 2);
            }
            seen[n] = v;
            return n + 1;
        }

        private int countDistinct(int n) {
            Arrays.sort(seen, 0, n);
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || seen[i] != seen[i - 1]) {
                    distinct++;
                }
            }
            return distinct;
        }
    }

    /**
     * Orders, refunds and spent of one window with no other filter, worked out together for a block
     * and kept for every node that asks about it: {@code spent(90d) > X and orders(90d) > 3} reads the
     * rows once, in a loop with everything it reads in locals (the general {@link ReceiptAggregate}
     * decides function and filters per row).
     */
    static final class WindowScan {
        private final int[] lo;
        private final int[] hi;
        private final CustomerIndex index;
        final double[] orders = new double[Program.BLOCK];
        final double[] refunds = new double[Program.BLOCK];
        final double[] spent = new double[Program.BLOCK];
        /** What the recent receipts sum into before they become the doubles above. */
        private final int[] sales = new int[Program.BLOCK];
        private final int[] returns = new int[Program.BLOCK];
        private final long[] cents = new long[Program.BLOCK];
        /** The ordinals [from, from + n) the arrays hold. */
        int from = -1;
        int n;

        WindowScan(RowFilter window, CustomerIndex index) {
            this.lo = window.lo;
            this.hi = window.hi;
            this.index = index;
        }

        /** Makes sure the arrays hold customers [from, from + n); a later part of an {@code and} asks for a subset. */
        void cover(int from, int n) {
            if (from >= this.from && from + n <= this.from + this.n) {
                return;
            }
            this.from = from;
            this.n = n;
            CustomerRows rows = index.receipts;
            RecentReceipts recent = index.recentReceipts;
            if (recent == null || recent.base != rows.base || !recent.covers(lo)) {
                for (int i = 0; i < n; i++) {
                    walk(rows, from + i, i);
                }
                return;
            }
            recent.sum(from, n, lo, hi, index.zone, sales, returns, cents);
            // Three branch-free loops that the JIT vectorises: a branch on "nothing in the window" costs
            // more here than the division it would skip.
            for (int i = 0; i < n; i++) {
                orders[i] = sales[i];
            }
            for (int i = 0; i < n; i++) {
                refunds[i] = returns[i];
            }
            for (int i = 0; i < n; i++) {
                spent[i] = cents[i] / 100.0;
            }
            recent.forEachLeftOut(rows, from, n, c -> walk(rows, c, c - from));
        }

        /** Customer c's rows from the newest back to the window's start, into slot i. */
        private void walk(CustomerRows rows, int c, int i) {
            int z = index.zone[c];
            int first = lo[z];
            int last = hi[z];
            Segment s = rows.segmentOf(c);
            int[] day = s.cols[Receipts.DAY];
            int[] attrs = s.cols[Receipts.ATTRS];
            int[] amount = s.cols[Receipts.AMOUNT];
            long sales = 0;
            long returns = 0;
            long sum = 0;
            for (int begin = rows.start[c], r = begin + rows.count[c] - 1; r >= begin; r--) {
                int d = day[r];
                if (d < first) {
                    break;
                }
                if (d <= last) {
                    int v = amount[r];
                    long value = v != Segment.WIDE ? v : s.wideValue(Receipts.AMOUNT, r);
                    if (Receipts.refund(attrs[r])) {
                        returns++;
                        sum -= value;
                    } else {
                        sales++;
                        sum += value;
                    }
                }
            }
            orders[i] = sales;
            refunds[i] = returns;
            spent[i] = sum == 0 ? 0.0 : (double) sum / 100;
        }
    }

    /** orders, refunds or spent of a {@link WindowScan}. */
    static final class WindowAggregate extends Num {
        private final WindowScan scan;
        private final String function;

        WindowAggregate(WindowScan scan, String function) {
            this.scan = scan;
            this.function = function;
        }

        @Override
        void eval(int from, int n) {
            scan.cover(from, n);
            double[] values = switch (function) {
                case "orders" -> scan.orders;
                case "refunds" -> scan.refunds;
                default -> scan.spent;
            };
            System.arraycopy(values, from - scan.from, out, 0, n);
        }
    }

    /**
     * Interactions of one type in a window, with store/product filters: {@code events} counts them;
     * {@code avg_rating} averages the stars of the rated ones (reviews), NaN when none is rated.
     */
    static final class EventFigure extends Num {
        private final int type;
        private final boolean averageRating;
        private final RowFilter filter;
        private final CustomerIndex index;

        EventFigure(int type, boolean averageRating, RowFilter filter, CustomerIndex index) {
            this.type = type;
            this.averageRating = averageRating;
            this.filter = filter;
            this.index = index;
        }

        @Override
        void eval(int from, int n) {
            CustomerRows rows = index.interactions;
            for (int i = 0; i < n; i++) {
                int c = from + i;
                Segment s = rows.segmentOf(c);
                int z = index.zone[c];
                int[] day = s.cols[Receipts.I_DAY];
                int[] attrs = s.cols[Receipts.I_ATTRS];
                int[] sku = s.cols[Receipts.I_SKU];
                int count = 0;
                int stars = 0;
                int lo = filter.lo[z];
                for (int first = rows.start[c], r = first + rows.count[c] - 1; r >= first && day[r] >= lo; r--) {
                    int a = attrs[r];
                    if (day[r] <= filter.hi[z] && Receipts.interactionType(a) == type
                            && (filter.store == null || filter.store[Receipts.interactionStore(a)])
                            && filter.skuMatches(sku[r])) {
                        int rating = Receipts.interactionRating(a);
                        count += averageRating && rating == 0 ? 0 : 1;
                        stars += rating;
                    }
                }
                out[i] = !averageRating ? count : count == 0 ? Double.NaN : (double) stars / count;
            }
        }
    }

    // ---- conditions ---------------------------------------------------------------------------

    abstract static class Cond {
        abstract void eval(int from, int n, long[] bits);
    }

    static void set(long[] bits, int i) {
        bits[i >> 6] |= 1L << i;
    }

    /**
     * Evaluates {@code part} only on the rows of the block whose bit in {@code open} is {@code wanted}
     * (runs of them at a time) into {@code into}: an {@code and} needs its later parts only where the
     * earlier ones held, an {@code or} only where none did yet. When most rows are open, the whole block
     * is cheaper in one go.
     */
    private static void evalWhere(Cond part, int from, int n, long[] open, boolean wanted, long[] into, long[] run) {
        int openRows = 0;
        for (int w = 0; w << 6 < n; w++) {
            openRows += Long.bitCount(word(open, w, wanted, n));
        }
        if (openRows * 4 >= n) {
            part.eval(from, n, into);
            return;
        }
        int start = next(open, wanted, true, 0, n);
        while (start < n) {
            int end = next(open, wanted, false, start, n);
            Arrays.fill(run, 0);
            part.eval(from + start, end - start, run);
            for (int j = 0; j < end - start; j++) {
                if ((run[j >> 6] >>> j & 1L) != 0) {
                    set(into, start + j);
                }
            }
            start = next(open, wanted, true, end, n);
        }
    }

    /** Word {@code w} of the rows whose bit in {@code open} is {@code wanted}, rows past n cleared. */
    private static long word(long[] open, int w, boolean wanted, int n) {
        long v = wanted ? open[w] : ~open[w];
        int rowsInWord = n - (w << 6);
        return rowsInWord >= 64 ? v : v & ((1L << rowsInWord) - 1);
    }

    /** The first row at or after {@code i} that is open ({@code isOpen}) or closed, else n. */
    private static int next(long[] open, boolean wanted, boolean isOpen, int i, int n) {
        while (i < n) {
            int w = i >> 6;
            long v = word(open, w, wanted, n);
            v = (isOpen ? v : ~v) & (-1L << i);
            if (v != 0) {
                return Math.min(n, (w << 6) + Long.numberOfTrailingZeros(v));
            }
            i = (w + 1) << 6;
        }
        return n;
    }

    /**
     * {@code and} ({@code all}) or {@code or} of its parts. After the first part, a part is evaluated
     * only where it can still change the answer: where all parts held so far ({@code and}), or where
     * none did yet ({@code or}).
     */
    static final class Junction extends Cond {
        private final Cond[] parts;
        private final boolean all;
        private final long[] scratch = new long[Program.WORDS];
        private final long[] run = new long[Program.WORDS];

        Junction(Cond[] parts, boolean all) {
            this.parts = parts;
            this.all = all;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            Arrays.fill(bits, all ? -1L : 0L);
            for (int k = 0; k < parts.length; k++) {
                Arrays.fill(scratch, 0);
                if (k == 0) {
                    parts[k].eval(from, n, scratch);
                } else {
                    evalWhere(parts[k], from, n, bits, all, scratch, run);
                }
                for (int w = 0; w < bits.length; w++) {
                    bits[w] = all ? bits[w] & scratch[w] : bits[w] | scratch[w];
                }
            }
        }
    }

    static final class Not extends Cond {
        private final Cond part;

        Not(Cond part) {
            this.part = part;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            Arrays.fill(bits, 0);
            part.eval(from, n, bits);
            for (int w = 0; w < bits.length; w++) {
                bits[w] = ~bits[w];
            }
        }
    }

    static boolean holds(Operator op, double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return false;
        }
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    static final class CompareNum extends Cond {
        private final Num left;
        private final Operator op;
        private final Num right;

        CompareNum(Num left, Operator op, Num right) {
            this.left = left;
            this.op = op;
            this.right = right;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            left.eval(from, n);
            right.eval(from, n);
            for (int w = 0; w << 6 < n; w++) {
                bits[w] |= word(op, left.out, right.out, w << 6, Math.min(64, n - (w << 6)));
            }
        }

        /**
         * Rows [at, at + rows) where {@link #holds} as one word: the operator is chosen once per 64 rows,
         * and no row branches. NaN ("no value") already compares false under every operator but {@code
         * !=} (IEEE 754), so only {@code !=} tests for it.
         */
        private static long word(Operator op, double[] a, double[] b, int at, int rows) {
            long word = 0;
            switch (op) {
                case EQ -> {
                    for (int j = 0; j < rows; j++) {
                        word |= (a[at + j] == b[at + j] ? 1L : 0L) << j;
                    }
                }
                case NE -> {
                    for (int j = 0; j < rows; j++) {
                        double x = a[at + j];
                        double y = b[at + j];
                        word |= (x != y && x == x && y == y ? 1L : 0L) << j;
                    }
                }
                case LT -> {
                    for (int j = 0; j < rows; j++) {
                        word |= (a[at + j] < b[at + j] ? 1L : 0L) << j;
                    }
                }
                case LE -> {
                    for (int j = 0; j < rows; j++) {
                        word |= (a[at + j] <= b[at + j] ? 1L : 0L) << j;
                    }
                }
                case GT -> word = word(Operator.LT, b, a, at, rows); // a > b is b < a, NaN false either way
                case GE -> word = word(Operator.LE, b, a, at, rows);
            }
            return word;
        }
    }

    /** A text compared with a literal: one code look-up at compile time, then int compares. */
    static final class TextIs extends Cond {
        private final Text value;
        private final int[] codes;
        private final boolean negated;

        TextIs(Text value, int[] codes, boolean negated) {
            this.value = value;
            this.codes = codes;
            this.negated = negated;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            value.eval(from, n);
            for (int i = 0; i < n; i++) {
                int v = value.out[i];
                if (v != 0 && contains(codes, v) != negated) {
                    set(bits, i);
                }
            }
        }

        private static boolean contains(int[] codes, int v) {
            for (int code : codes) {
                if (code == v) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Two texts compared as strings (different dictionaries, or ordering). */
    static final class CompareText extends Cond {
        private final Text left;
        private final Operator op;
        private final Text right;

        CompareText(Text left, Operator op, Text right) {
            this.left = left;
            this.op = op;
            this.right = right;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            left.eval(from, n);
            right.eval(from, n);
            for (int i = 0; i < n; i++) {
                String a = text(left, i);
                String b = text(right, i);
                if (a != null && b != null && holds(op, Integer.signum(a.compareTo(b)), 0)) {
                    set(bits, i);
                }
            }
        }

        private static String text(Text t, int i) {
            return t instanceof TextConst k ? k.value : t.dictionary.text(t.out[i]);
        }
    }

    static final class InNum extends Cond {
        private final Num value;
        private final double[] values;

        InNum(Num value, double[] values) {
            this.value = value;
            this.values = values;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            value.eval(from, n);
            for (int i = 0; i < n; i++) {
                double v = value.out[i];
                for (double x : values) {
                    if (v == x) {
                        set(bits, i);
                        break;
                    }
                }
            }
        }
    }

    /** Membership of a tag or segment bitmap. */
    static final class Member extends Cond {
        private final RoaringBitmap members;

        Member(RoaringBitmap members) {
            this.members = members;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            PeekableIntIterator it = members.getIntIterator();
            it.advanceIfNeeded(from);
            while (it.hasNext() && it.peekNext() < from + n) {
                set(bits, it.next() - from);
            }
        }
    }

    /** birthday within Nd: the next anniversary of the birth month-day, per timezone. */
    static final class BirthdayWithin extends Cond {
        private final boolean[][] withinByZone;
        private final CustomerIndex index;

        BirthdayWithin(boolean[][] withinByZone, CustomerIndex index) {
            this.withinByZone = withinByZone;
            this.index = index;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            for (int i = 0; i < n; i++) {
                int c = from + i;
                int mmdd = index.birthMmdd[c];
                if (mmdd != 0 && withinByZone[index.zone[c]][mmdd]) {
                    set(bits, i);
                }
            }
        }
    }

    /** A date value within the next N days, today included. */
    static final class DateWithin extends Cond {
        private final Num date;
        private final int days;
        private final int[] today;
        private final CustomerIndex index;

        DateWithin(Num date, int days, int[] today, CustomerIndex index) {
            this.date = date;
            this.days = days;
            this.today = today;
            this.index = index;
        }

        @Override
        void eval(int from, int n, long[] bits) {
            date.eval(from, n);
            for (int i = 0; i < n; i++) {
                double d = date.out[i];
                int t = today[index.zone[from + i]];
                if (d >= t && d < t + days) {
                    set(bits, i);
                }
            }
        }
    }
}
