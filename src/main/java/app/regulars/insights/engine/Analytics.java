package app.regulars.insights.engine;

import app.regulars.insights.Insights.CohortCell;
import app.regulars.insights.Insights.CohortValue;
import app.regulars.insights.Insights.MonthlyRepurchase;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dashboard questions over every customer's sale receipts, by one pass over the customer-major
 * arrays: monthly repurchase rate, cohort retention, and ntile RFM quintiles (the analyst's query,
 * kept apart from the rule fields' tie-sharing scores). Callers hold the read lock.
 */
final class Analytics {

    private final CustomerIndex index;
    private final java.util.concurrent.ExecutorService second;
    /** The stores (by code) whose receipts the month questions count; null: every store. */
    private final boolean[] stores;

    Analytics(CustomerIndex index, java.util.concurrent.ExecutorService second) {
        this(index, second, null);
    }

    Analytics(CustomerIndex index, java.util.concurrent.ExecutorService second, boolean[] stores) {
        this.index = index;
        this.second = second;
        this.stores = stores;
    }

    /** The day span of all sale receipts [first, last], or null when none. */
    private int[] daySpan() {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        CustomerRows rows = index.receipts;
        for (int c = 0; c < index.size; c++) {
            int n = rows.count[c];
            if (n == 0) {
                continue;
            }
            int[] day = rows.segmentOf(c).cols[Receipts.DAY];
            lo = Math.min(lo, day[rows.start[c]]);
            hi = Math.max(hi, day[rows.start[c] + n - 1]);
        }
        return lo > hi ? null : new int[] {lo, hi};
    }

    /** Month (from the first month of the span) of each day of the span: one look-up per receipt. */
    private record Months(int firstDay, int firstMonth, int[] ofDay, int count) {
        static Months of(int[] days) {
            int firstMonth = Days.month(days[0]);
            int[] of = new int[days[1] - days[0] + 1];
            for (int d = 0; d < of.length; d++) {
                of[d] = Days.month(days[0] + d) - firstMonth;
            }
            return new Months(days[0], firstMonth, of, of[of.length - 1] + 1);
        }
    }

    /** Per month: buyers and buyers whose first purchase was in an earlier month. */
    List<MonthlyRepurchase> repurchaseRate() {
        int[] days = daySpan();
        if (days == null) {
            return List.of();
        }
        Months months = Months.of(days);
        long[][] halves = halves((from, to) -> {
            long[] counts = new long[2 * months.count()]; // buyers, then repeat buyers
            countMonths(from, to, months, counts, null);
            return counts;
        });
        List<MonthlyRepurchase> out = new ArrayList<>();
        for (int m = 0; m < months.count(); m++) {
            long buyers = halves[0][m] + halves[1][m];
            long repeat = halves[0][months.count() + m] + halves[1][months.count() + m];
            if (buyers > 0) {
                out.add(new MonthlyRepurchase(yearMonth(months.firstMonth() + m), buyers, repeat));
            }
        }
        return out;
    }

    /** Customers of each first-purchase month active k months later. */
    List<CohortCell> cohorts() {
        return cohortMatrix((from, to, months) -> {
            long[] cells = new long[months.count() * months.count()];
            countMonths(from, to, months, null, cells);
            return cells;
        }, CohortCell::new);
    }

    /** Net spend of each first-purchase month's customers k months later (see {@code Insights.cohortValues}). */
    List<CohortValue> cohortValues() {
        return cohortMatrix(this::sumValues, CohortValue::new);
    }

    private interface Cells {
        long[] of(int from, int to, Months months);
    }

    private interface Cell<T> {
        T of(YearMonth cohort, int monthsLater, long value);
    }

    /** A cohort × months-later matrix, summed over the two halves, as records of its non-zero cells. */
    private <T> List<T> cohortMatrix(Cells cells, Cell<T> cell) {
        int[] days = daySpan();
        if (days == null) {
            return List.of();
        }
        Months months = Months.of(days);
        int n = months.count();
        long[][] halves = halves((from, to) -> cells.of(from, to, months));
        List<T> out = new ArrayList<>();
        for (int cohort = 0; cohort < n; cohort++) {
            for (int k = 0; k < n - cohort; k++) {
                long value = halves[0][cohort * n + k] + halves[1][cohort * n + k];
                if (value != 0) {
                    out.add(cell.of(yearMonth(months.firstMonth() + cohort), k, value));
                }
            }
        }
        return out;
    }

    /**
     * The n × n cells of {@link #cohortValues} for ordinals [from, to). Two passes per customer: the
     * first finds the month of their first sale, so that a refund read before the sale it follows on the
     * same day still counts.
     */
    private long[] sumValues(int from, int to, Months months) {
        int n = months.count();
        long[] cells = new long[n * n];
        int[] ofDay = months.ofDay();
        int firstDay = months.firstDay();
        eachBuyer(from, to, (s, day, attrs, start, end) -> {
            int first = -1;
            for (int r = start; r < end && first < 0; r++) {
                if (!Receipts.refund(attrs[r]) && counted(attrs[r])) {
                    first = ofDay[day[r] - firstDay];
                }
            }
            if (first < 0) {
                return;
            }
            for (int r = start; r < end; r++) {
                int m = ofDay[day[r] - firstDay];
                if (m >= first && counted(attrs[r])) {
                    long cents = s.value(Receipts.AMOUNT, r);
                    cells[first * n + (m - first)] += Receipts.refund(attrs[r]) ? -cents : cents;
                }
            }
        });
        return cells;
    }

    /** One customer's receipts: rows [start, end) of segment {@code s}, in day order. */
    private interface CustomerReceipts {
        void of(Segment s, int[] day, int[] attrs, int start, int end);
    }

    /** Every living customer of ordinals [from, to) with receipts, their rows handed to {@code visit}. */
    private void eachBuyer(int from, int to, CustomerReceipts visit) {
        CustomerRows rows = index.receipts;
        for (int c = from; c < to; c++) {
            int count = rows.count[c];
            if (count == 0 || !index.isAlive(c)) {
                continue;
            }
            Segment s = rows.segmentOf(c);
            visit.of(s, s.cols[Receipts.DAY], s.cols[Receipts.ATTRS], rows.start[c], rows.start[c] + count);
        }
    }

    /** Whether a receipt is at one of the stores asked about. */
    private boolean counted(int attrs) {
        return stores == null || stores[Receipts.store(attrs)];
    }

    private interface Half {
        long[] count(int from, int to);
    }

    /** Runs a count over the two halves of the ordinals, the upper one on the engine's second thread. */
    private long[][] halves(Half half) {
        int mid = index.size / 2;
        java.util.concurrent.Future<long[]> upper = second.submit(() -> half.count(mid, index.size));
        long[] lower = half.count(0, mid);
        try {
            return new long[][] {lower, upper.get()};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * For each distinct (customer, month with a sale) of ordinals [from, to): counts buyers and repeat
     * buyers per month ({@code rates}: n buyers then n repeat buyers) or cohort cells (n × n).
     */
    private void countMonths(int from, int to, Months months, long[] rates, long[] cells) {
        int n = months.count();
        int[] ofDay = months.ofDay();
        int firstDay = months.firstDay();
        eachBuyer(from, to, (s, day, attrs, start, end) -> {
            int first = -1;
            int last = -1;
            for (int r = start; r < end; r++) {
                if (Receipts.refund(attrs[r]) || !counted(attrs[r])) {
                    continue;
                }
                int m = ofDay[day[r] - firstDay];
                if (m == last) {
                    continue;
                }
                if (first < 0) {
                    first = m;
                }
                last = m;
                if (rates != null) {
                    rates[m]++;
                    rates[n + m] += first < m ? 1 : 0;
                } else {
                    cells[first * n + (m - first)]++;
                }
            }
        });
    }

    private static YearMonth yearMonth(int month) {
        return YearMonth.of(Math.floorDiv(month, 12), Math.floorMod(month, 12) + 1);
    }

    /**
     * ntile(5) over buyers by last purchase day, sale count and sale amount (ties by ordinal), as the
     * analyst's query computes them: per ordinal 1–5, 0 for customers without a sale.
     */
    record Quintiles(byte[] r, byte[] f, byte[] m, long[] lastDay, long[] frequency, long[] salesCents) {}

    Quintiles rfmQuintiles() {
        int n = index.size;
        long[] last = new long[n];
        long[] frequency = new long[n];
        long[] sales = new long[n];
        // Per half: buyers, then the least and greatest last day, count and amount.
        long[][] halves = halves((from, to) -> buyerFigures(from, to, last, frequency, sales));
        long[] lo = halves[0];
        long[] hi = halves[1];
        int count = (int) (lo[0] + hi[0]);
        // The three scores are independent: recency on the second thread while this one does the other two.
        java.util.concurrent.Future<byte[]> r = second.submit(() -> ntile(last, frequency, count,
                Math.min(lo[1], hi[1]), Math.max(lo[2], hi[2])));
        byte[] f = ntile(frequency, frequency, count, Math.min(lo[3], hi[3]), Math.max(lo[4], hi[4]));
        byte[] m = ntile(sales, frequency, count, Math.min(lo[5], hi[5]), Math.max(lo[6], hi[6]));
        try {
            return new Quintiles(r.get(), f, m, last, frequency, sales);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Last sale day, sale count and sale cents of ordinals [from, to); returns how many bought and the
     * least and greatest of each figure among them (so the ntiles need no pass of their own for it).
     */
    private long[] buyerFigures(int from, int to, long[] last, long[] frequency, long[] sales) {
        CustomerRows rows = index.receipts;
        long buyers = 0;
        long[] range = {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int c = from; c < to; c++) {
            int count = rows.count[c];
            if (count == 0 || !index.isAlive(c)) {
                continue;
            }
            Segment s = rows.segmentOf(c);
            int[] day = s.cols[Receipts.DAY];
            int[] attrs = s.cols[Receipts.ATTRS];
            int[] amount = s.cols[Receipts.AMOUNT];
            long f = 0;
            long sum = 0;
            int lastDay = 0;
            for (int r = rows.start[c], end = r + count; r < end; r++) {
                if (!Receipts.refund(attrs[r])) {
                    f++;
                    sum += amount[r] != Segment.WIDE ? amount[r] : s.wideValue(Receipts.AMOUNT, r);
                    lastDay = day[r];
                }
            }
            if (f > 0) {
                buyers++;
                last[c] = lastDay;
                frequency[c] = f;
                sales[c] = sum;
                range[1] = Math.min(range[1], lastDay);
                range[2] = Math.max(range[2], lastDay);
                range[3] = Math.min(range[3], f);
                range[4] = Math.max(range[4], f);
                range[5] = Math.min(range[5], sum);
                range[6] = Math.max(range[6], sum);
            }
        }
        range[0] = buyers;
        return range;
    }

    /**
     * ntile(5) of the customers with {@code buyer[c] > 0}, ordered by value then ordinal, without a
     * full sort: a histogram over coarse values gives each group of customers its range of
     * positions; a group that falls inside one quintile gets it at once, and only the few groups that
     * straddle a quintile boundary are placed exactly: members of a one-value group (small ranges,
     * such as counts) take their positions in ordinal order as they come, wider groups are sorted.
     */
    static byte[] ntile(long[] value, long[] buyer, int buyers) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int c = 0; c < value.length; c++) {
            if (buyer[c] > 0) {
                min = Math.min(min, value[c]);
                max = Math.max(max, value[c]);
            }
        }
        return ntile(value, buyer, buyers, min, max);
    }

    /** {@link #ntile(long[], long[], int)} when the least and greatest value among the buyers are known. */
    static byte[] ntile(long[] value, long[] buyer, int buyers, long min, long max) {
        byte[] out = new byte[value.length];
        if (buyers == 0) {
            return out;
        }
        int shift = 0;
        // 64k groups: the histogram stays in cache; a group then spans few enough customers to sort.
        while (((max - min) >>> shift) >= 1 << 16) {
            shift++;
        }
        int[] start = bucketStarts(buyers);
        int groups = (int) ((max - min) >>> shift) + 1;
        int[] before = new int[groups + 1];
        for (int c = 0; c < value.length; c++) {
            if (buyer[c] > 0) {
                before[(int) ((value[c] - min) >>> shift) + 1]++;
            }
        }
        for (int k = 1; k < before.length; k++) {
            before[k] += before[k - 1];
        }
        // A group inside one quintile gives it to all its members; the few (at most four) that straddle
        // a boundary collect their members, in ordinal order, to be placed exactly.
        byte[] whole = new byte[groups];
        int[] straddler = new int[groups];
        Growable.Ints[] members = new Growable.Ints[4];
        int[] next = new int[4]; // with exact groups (shift 0): the next position, members come in ordinal order
        int straddling = 0;
        for (int k = 0; k < groups; k++) {
            if (before[k + 1] == before[k]) {
                continue;
            }
            byte first = bucket(start, before[k]);
            byte last = bucket(start, before[k + 1] - 1);
            if (first == last) {
                whole[k] = first;
            } else {
                straddler[k] = straddling;
                next[straddling] = before[k];
                members[straddling++] = shift == 0 ? null : new Growable.Ints(1024);
            }
        }
        for (int c = 0; c < value.length; c++) {
            if (buyer[c] > 0) {
                int k = (int) ((value[c] - min) >>> shift);
                if (whole[k] != 0) {
                    out[c] = whole[k];
                } else if (shift == 0) {
                    out[c] = bucket(start, next[straddler[k]]++);
                } else {
                    members[straddler[k]].add(c);
                }
            }
        }
        if (shift > 0) {
            for (int k = 0; k < groups; k++) {
                if (before[k + 1] > before[k] && whole[k] == 0) {
                    place(value, out, members[straddler[k]], before[k], shift, start);
                }
            }
        }
        return out;
    }

    private static void place(long[] value, byte[] out, Growable.Ints group, int first, int shift, int[] start) {
        int n = group.size;
        int[] members = group.a; // in ordinal order
        if (shift > 32) {
            // Values spread over more than 2^48 (never seen): by value, then ordinal (the sort is stable).
            Integer[] boxed = Arrays.stream(Arrays.copyOf(members, n)).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, (x, y) -> Long.compare(value[x], value[y]));
            for (int i = 0; i < n; i++) {
                out[boxed[i]] = bucket(start, first + i);
            }
            return;
        }
        // Values of one coarse group still differ, by less than 2^shift ≤ 2^32: keys hold the value's
        // offset above the ordinal, so one primitive sort orders by value, then ordinal.
        long base = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            base = Math.min(base, value[members[i]]);
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (value[members[i]] - base) << 31 | members[i];
        }
        Arrays.sort(keys);
        for (int i = 0; i < n; i++) {
            out[(int) (keys[i] & Integer.MAX_VALUE)] = bucket(start, first + i);
        }
    }

    /** First position of each ntile(5) bucket: the first n % 5 buckets hold one more. */
    private static int[] bucketStarts(int n) {
        int[] start = new int[6];
        for (int b = 0; b < 5; b++) {
            start[b + 1] = start[b] + n / 5 + (b < n % 5 ? 1 : 0);
        }
        return start;
    }

    private static byte bucket(int[] start, int pos) {
        byte b = 1;
        while (b < 5 && pos >= start[b]) {
            b++;
        }
        return b;
    }
}
