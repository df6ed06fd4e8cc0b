package app.regulars.insights.engine;

import java.util.Arrays;

/**
 * A customer's all-time purchase figures, measured by one scan of their receipts into reusable
 * fields (one instance per evaluating thread; nothing is allocated per customer). The definitions
 * are the rule catalogue's; the SQL oracle states the same ones in SQL.
 */
final class Metrics {

    static final int NONE = Integer.MIN_VALUE;

    private final CustomerIndex index;
    private final int[] today;
    private final HolidayDays holidays;
    private int[] scratch = new int[64];

    int sales;
    long salesCents;
    int refunds;
    long refundCents;
    long discountCents;
    int couponSales;
    int firstDay;
    int lastDay;
    int activeMonths;
    double cycle;
    int preferredPayment;
    int preferredChannel;
    int preferredStore;
    long holidayCents;
    int todayOf;
    int registeredDay;

    Metrics(CustomerIndex index, int[] today, HolidayDays holidays) {
        this.index = index;
        this.today = today;
        this.holidays = holidays;
    }

    /** Whether {@link #measure} works out the repurchase cycle (a sort per customer): only when asked. */
    boolean cycles = true;
    /** Whether {@link #measure} counts active months and holiday spend (only when asked). */
    boolean months = true;
    boolean holidaySpend = true;

    void measure(int c, boolean preferences) {
        sales = 0;
        salesCents = 0;
        refunds = 0;
        refundCents = 0;
        discountCents = 0;
        couponSales = 0;
        firstDay = NONE;
        lastDay = NONE;
        activeMonths = 0;
        holidayCents = 0;
        todayOf = today[index.zone[c]];
        registeredDay = index.registeredDay[c];
        CustomerRows rows = index.receipts;
        Segment s = rows.segmentOf(c);
        int from = rows.start[c];
        int to = from + rows.count[c];
        int[] day = s.cols[Receipts.DAY];
        int[] attrs = s.cols[Receipts.ATTRS];
        int lastMonth = NONE;
        int distinctDays = 0;
        for (int r = from; r < to; r++) {
            int a = attrs[r];
            long amount = s.value(Receipts.AMOUNT, r);
            boolean nearHoliday = holidaySpend && holidays.near(day[r]);
            if (Receipts.refund(a)) {
                refunds++;
                refundCents += amount;
                holidayCents -= nearHoliday ? amount : 0;
                continue;
            }
            sales++;
            salesCents += amount;
            holidayCents += nearHoliday ? amount : 0;
            discountCents += s.value(Receipts.DISCOUNT, r);
            couponSales += Receipts.coupon(a) ? 1 : 0;
            int d = day[r];
            if (firstDay == NONE) {
                firstDay = d;
            }
            if (cycles && d != lastDay) {
                scratch = ensure(scratch, distinctDays + 1);
                scratch[distinctDays++] = d;
            }
            if (months && d != lastDay) {
                int m = Days.month(d);
                if (m != lastMonth) {
                    activeMonths++;
                    lastMonth = m;
                }
            }
            lastDay = d;
        }
        cycle = medianGap(distinctDays);
        if (preferences) {
            preferredPayment = preferred(c, 20, Receipts.MAX_PAYMENTS, index.payments);
            preferredChannel = preferred(c, 14, Receipts.MAX_CHANNELS, index.channels);
            preferredStore = preferred(c, 0, Receipts.MAX_STORES, index.stores);
        }
    }

    /** The median of the gaps between consecutive distinct purchase days (already in scratch, ascending). */
    private double medianGap(int days) {
        if (days < 2) {
            return Double.NaN;
        }
        int gaps = days - 1;
        int[] g = gapsBuffer(gaps);
        for (int i = 0; i < gaps; i++) {
            g[i] = scratch[i + 1] - scratch[i];
        }
        Arrays.sort(g, 0, gaps);
        return gaps % 2 == 1 ? g[gaps / 2] : (g[gaps / 2 - 1] + g[gaps / 2]) / 2.0;
    }

    private int[] gaps = new int[64];

    private int[] gapsBuffer(int n) {
        gaps = ensure(gaps, n);
        return gaps;
    }

    /** The code seen on most sale receipts; ties go to the smallest text. 0 when none. */
    private int preferred(int c, int shift, int mask, Dictionary dictionary) {
        CustomerRows rows = index.receipts;
        Segment s = rows.segmentOf(c);
        int from = rows.start[c];
        int n = 0;
        int[] attrs = s.cols[Receipts.ATTRS];
        for (int r = from; r < from + rows.count[c]; r++) {
            int code = (attrs[r] >>> shift) & mask;
            if (!Receipts.refund(attrs[r]) && code != 0) {
                scratch = ensure(scratch, n + 1);
                scratch[n++] = code;
            }
        }
        Arrays.sort(scratch, 0, n);
        int best = 0;
        int bestCount = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scratch[j] == scratch[i]) {
                j++;
            }
            int count = j - i;
            if (count > bestCount || (count == bestCount
                    && dictionary.text(scratch[i]).compareTo(dictionary.text(best)) < 0)) {
                best = scratch[i];
                bestCount = count;
            }
            i = j;
        }
        return best;
    }

    private static int[] ensure(int[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
    }

    // The catalogue's metrics; NaN is "no value".

    double daysSinceLastPurchase() {
        return sales == 0 ? Double.NaN : todayOf - lastDay;
    }

    double daysSinceFirstPurchase() {
        return sales == 0 ? Double.NaN : todayOf - firstDay;
    }

    /**
     * Days since the customer joined: registered, or bought, whichever came first. WHY BOTH: a chain that
     * connects its tills before importing its history registers its regulars on the first day of the
     * connection, while their receipts go back years.
     */
    double tenureDays() {
        return todayOf - (sales == 0 ? registeredDay : Math.min(registeredDay, firstDay));
    }

    double monetary() {
        return (double) (salesCents - refundCents) / 100;
    }

    double aov() {
        return sales == 0 ? Double.NaN : (double) salesCents / sales / 100;
    }

    double firstPurchaseDate() {
        return sales == 0 ? Double.NaN : firstDay;
    }

    double lastPurchaseDate() {
        return sales == 0 ? Double.NaN : lastDay;
    }

    double nextExpectedPurchaseDate() {
        return Double.isNaN(cycle) ? Double.NaN : lastDay + Math.floor(cycle + 0.5);
    }

    double discountRate() {
        long gross = salesCents + discountCents;
        return gross == 0 ? Double.NaN : (double) discountCents / gross;
    }

    double couponRedemptionRate() {
        return sales == 0 ? Double.NaN : (double) couponSales / sales;
    }

    double returnsRate() {
        return sales == 0 ? Double.NaN : (double) refunds / sales;
    }

    double holidayShare() {
        long net = salesCents - refundCents;
        return net == 0 ? Double.NaN : (double) holidayCents / net;
    }
}
