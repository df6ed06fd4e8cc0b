package app.regulars.insights.engine;

import app.regulars.insights.RfmSegments;
import java.util.Arrays;
import java.util.List;

/**
 * RFM scores 1–5 per dimension over the customers with at least one purchase, and the named
 * segments. A score is {@code 1 + 5 * worse / n} (integer division), where {@code worse} is how many
 * of the n buyers have a strictly worse value: ties share a score, so two customers who behave
 * alike are never split (rules: docs/decisions/0011-insights-engine.md).
 */
final class Rfm {

    static final List<String> SEGMENTS = RfmSegments.NAMES;

    /** Scores by ordinal (0: no purchases) and segment codes (index in SEGMENTS + 1, 0: none). */
    final byte[] r;
    final byte[] f;
    final byte[] m;
    final byte[] segment;
    final long version;
    final int[] today;

    private Rfm(int n, long version, int[] today) {
        r = new byte[n];
        f = new byte[n];
        m = new byte[n];
        segment = new byte[n];
        this.version = version;
        this.today = today;
    }

    static Rfm compute(CustomerIndex index, int[] today) {
        int n = index.size;
        long[] recency = new long[n];
        long[] frequency = new long[n];
        long[] monetary = new long[n];
        boolean[] buyer = new boolean[n];
        Metrics metrics = new Metrics(index, today, HolidayDays.NONE);
        metrics.cycles = false;
        metrics.months = false;
        metrics.holidaySpend = false;
        int buyers = 0;
        for (int c = 0; c < n; c++) {
            if (!index.isAlive(c) || index.receipts.count[c] == 0) {
                continue;
            }
            metrics.measure(c, false);
            if (metrics.sales == 0) {
                continue;
            }
            buyer[c] = true;
            buyers++;
            recency[c] = -(long) metrics.daysSinceLastPurchase(); // a smaller recency is better
            frequency[c] = metrics.sales;
            monetary[c] = metrics.salesCents - metrics.refundCents;
        }
        Rfm rfm = new Rfm(n, index.version, today);
        score(recency, buyer, buyers, rfm.r);
        score(frequency, buyer, buyers, rfm.f);
        score(monetary, buyer, buyers, rfm.m);
        for (int c = 0; c < n; c++) {
            if (buyer[c]) {
                rfm.segment[c] = (byte) (SEGMENTS.indexOf(segment(rfm.r[c], rfm.f[c], rfm.m[c])) + 1);
            }
        }
        return rfm;
    }

    private static void score(long[] value, boolean[] buyer, int buyers, byte[] out) {
        long[] sorted = new long[buyers];
        int k = 0;
        for (int c = 0; c < value.length; c++) {
            if (buyer[c]) {
                sorted[k++] = value[c];
            }
        }
        Arrays.parallelSort(sorted);
        for (int c = 0; c < value.length; c++) {
            if (buyer[c]) {
                long worse = lowerBound(sorted, value[c]);
                out[c] = (byte) (1 + 5 * worse / buyers);
            }
        }
    }

    private static int lowerBound(long[] sorted, long v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The named segment of a score triple; the first rule that holds wins. */
    static String segment(int r, int f, int m) {
        if (r >= 4 && f >= 4 && m >= 4) {
            return "Champions";
        }
        if (r >= 3 && f >= 4) {
            return "Loyal";
        }
        if (r >= 4 && f >= 2) {
            return "Potential loyalist";
        }
        if (r == 5) {
            return "New";
        }
        if (r == 4) {
            return "Promising";
        }
        if (r == 3 && f >= 2) {
            return "Need attention";
        }
        if (r == 3) {
            return "About to sleep";
        }
        if (r == 1 && f >= 4) {
            return "Can't lose them";
        }
        if (f >= 3) {
            return "At risk";
        }
        return r == 2 ? "Hibernating" : "Lost";
    }
}
