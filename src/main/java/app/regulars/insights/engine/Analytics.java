package app.regulars.insights.engine;

import app.regulars.insights.Insights.CohortCell;
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

    Analytics(CustomerIndex index) {
        this.index = index;
    }

    /** The month span of all sale receipts: [first, last] as year * 12 + month - 1, or null when none. */
    private int[] span() {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        CustomerRows rows = index.receipts;
        for (int c = 0; c < index.size; c++) {
            int n = rows.count[c];
            if (n == 0 || !index.isAlive(c)) {
                continue;
            }
            Segment s = rows.segmentOf(c);
            int[] day = s.cols[Receipts.DAY];
            lo = Math.min(lo, day[rows.start[c]]);
            hi = Math.max(hi, day[rows.start[c] + n - 1]);
        }
        return lo > hi ? null : new int[] {Days.month(lo), Days.month(hi)};
    }

    /** Per month: buyers and buyers whose first purchase was in an earlier month. */
    List<MonthlyRepurchase> repurchaseRate() {
        int[] span = span();
        if (span == null) {
            return List.of();
        }
        int months = span[1] - span[0] + 1;
        long[] buyers = new long[months];
        long[] repeat = new long[months];
        forEachSaleMonth(span[0], (c, first, month) -> {
            buyers[month]++;
            if (first < month) {
                repeat[month]++;
            }
        });
        List<MonthlyRepurchase> out = new ArrayList<>();
        for (int m = 0; m < months; m++) {
            if (buyers[m] > 0) {
                out.add(new MonthlyRepurchase(yearMonth(span[0] + m), buyers[m], repeat[m]));
            }
        }
        return out;
    }

    /** Customers of each first-purchase month active k months later. */
    List<CohortCell> cohorts() {
        int[] span = span();
        if (span == null) {
            return List.of();
        }
        int months = span[1] - span[0] + 1;
        long[] cells = new long[months * months];
        forEachSaleMonth(span[0], (c, first, month) -> cells[first * months + (month - first)]++);
        List<CohortCell> out = new ArrayList<>();
        for (int cohort = 0; cohort < months; cohort++) {
            for (int k = 0; k < months - cohort; k++) {
                long n = cells[cohort * months + k];
                if (n > 0) {
                    out.add(new CohortCell(yearMonth(span[0] + cohort), k, n));
                }
            }
        }
        return out;
    }

    private interface SaleMonth {
        void accept(int customer, int firstMonth, int month);
    }

    /** Each distinct (customer, month with a sale), with the customer's first sale month; months from {@code base}. */
    private void forEachSaleMonth(int base, SaleMonth action) {
        CustomerRows rows = index.receipts;
        for (int c = 0; c < index.size; c++) {
            int n = rows.count[c];
            if (n == 0 || !index.isAlive(c)) {
                continue;
            }
            Segment s = rows.segmentOf(c);
            int[] day = s.cols[Receipts.DAY];
            int[] attrs = s.cols[Receipts.ATTRS];
            int first = -1;
            int last = -1;
            for (int r = rows.start[c], end = r + n; r < end; r++) {
                if (Receipts.refund(attrs[r])) {
                    continue;
                }
                int m = Days.month(day[r]) - base;
                if (first < 0) {
                    first = m;
                }
                if (m != last) {
                    action.accept(c, first, m);
                    last = m;
                }
            }
        }
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
        CustomerRows rows = index.receipts;
        int buyers = 0;
        for (int c = 0; c < n; c++) {
            int count = rows.count[c];
            if (count == 0 || !index.isAlive(c)) {
                continue;
            }
            Segment s = rows.segmentOf(c);
            int[] day = s.cols[Receipts.DAY];
            int[] attrs = s.cols[Receipts.ATTRS];
            long f = 0;
            long sum = 0;
            int lastDay = 0;
            for (int r = rows.start[c], end = r + count; r < end; r++) {
                if (!Receipts.refund(attrs[r])) {
                    f++;
                    sum += s.value(Receipts.AMOUNT, r);
                    lastDay = day[r];
                }
            }
            if (f > 0) {
                buyers++;
                last[c] = lastDay;
                frequency[c] = f;
                sales[c] = sum;
            }
        }
        return new Quintiles(ntile(last, frequency, buyers), ntile(frequency, frequency, buyers),
                ntile(sales, frequency, buyers), last, frequency, sales);
    }

    /** ntile(5) of the customers with {@code buyer[c] > 0}, ordered by value then ordinal. */
    private static byte[] ntile(long[] value, long[] buyer, int buyers) {
        byte[] out = new byte[value.length];
        if (buyers == 0) {
            return out;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int c = 0; c < value.length; c++) {
            if (buyer[c] > 0) {
                min = Math.min(min, value[c]);
                max = Math.max(max, value[c]);
            }
        }
        int[] start = bucketStarts(buyers);
        if (max - min < 1 << 22) {
            // Small range (days, counts): positions by a counting sort, no comparison sort at all.
            int[] before = new int[(int) (max - min) + 2];
            for (int c = 0; c < value.length; c++) {
                if (buyer[c] > 0) {
                    before[(int) (value[c] - min) + 1]++;
                }
            }
            for (int v = 1; v < before.length; v++) {
                before[v] += before[v - 1];
            }
            for (int c = 0; c < value.length; c++) {
                if (buyer[c] > 0) {
                    out[c] = bucket(start, before[(int) (value[c] - min)]++);
                }
            }
            return out;
        }
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, value.length - 1));
        if (max - min >= 1L << (63 - bits)) {
            return ntileBoxed(value, buyer, buyers, start);
        }
        long[] keys = new long[buyers];
        int k = 0;
        for (int c = 0; c < value.length; c++) {
            if (buyer[c] > 0) {
                keys[k++] = ((value[c] - min) << bits) | c;
            }
        }
        Arrays.parallelSort(keys);
        long mask = (1L << bits) - 1;
        for (int pos = 0; pos < buyers; pos++) {
            out[(int) (keys[pos] & mask)] = bucket(start, pos);
        }
        return out;
    }

    /** The same for values too wide to pack with an ordinal into one long (never in practice). */
    private static byte[] ntileBoxed(long[] value, long[] buyer, int buyers, int[] start) {
        Integer[] order = new Integer[buyers];
        int k = 0;
        for (int c = 0; c < value.length; c++) {
            if (buyer[c] > 0) {
                order[k++] = c;
            }
        }
        Arrays.sort(order, (a, b) -> value[a] != value[b] ? Long.compare(value[a], value[b]) : Integer.compare(a, b));
        byte[] out = new byte[value.length];
        for (int pos = 0; pos < buyers; pos++) {
            out[order[pos]] = bucket(start, pos);
        }
        return out;
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
