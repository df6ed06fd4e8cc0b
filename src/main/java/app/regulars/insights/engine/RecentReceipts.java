package app.regulars.insights.engine;

import java.util.Arrays;

/**
 * A copy of the base segment's receipts of the last {@link #DAYS} days, rows of all customers one
 * after another in ordinal order, with the customer written on each row.
 *
 * <p>WHY: {@code spent(90d) > X and orders(90d) > 3} walks every customer's rows from the newest
 * back; the walk stops after an unpredictable number of rows (a branch mispredicted per customer)
 * and reads the newest row of a million customers spread over the whole day column (a cache line per
 * customer). Here the rows that a recent window can need lie packed together, and a window is summed
 * over them in one branch-free pass, each row adding into its customer's slot (decision 0011).
 *
 * <p>It answers only for customers whose rows are all in the base it was copied from: a customer
 * whose rows moved to the delta since (a new receipt, a merge) or who has an amount too wide for an
 * int is left to the walk. Built at start-up, after each compaction and each midnight; a window
 * that starts before {@link #from} is left to the walk as well.
 */
final class RecentReceipts {

    /**
     * Windows of up to 90 days (and {@code last_month}) fit for 40 days after a copy, which is made again
     * every midnight; longer ones ({@code 180d}, {@code prev_3_months}) are walked. Each day more costs
     * every window sum the rows of that day.
     */
    static final int DAYS = 130;

    /** The base segment copied: once the index has another, this copy says nothing. */
    final Segment base;
    /** The first epoch day held. */
    final int from;
    /** Customers [0, customers) were looked at; later ordinals have no row here. */
    final int customers;
    /** Customer c's rows are [first[c], first[c + 1]). */
    private final int[] first;
    private final int[] customer;
    private final int[] day;
    private final int[] amount;
    private final byte[] refund;
    /** Customers with a row here whose amount does not fit an int, in ordinal order: the walk answers them. */
    private final int[] wide;

    private RecentReceipts(Segment base, int from, int customers, int[] first, int rows, int[] wide) {
        this.base = base;
        this.from = from;
        this.customers = customers;
        this.first = first;
        this.customer = new int[rows];
        this.day = new int[rows];
        this.amount = new int[rows];
        this.refund = new byte[rows];
        this.wide = wide;
    }

    /**
     * Copies the rows on or after {@code from} of the customers whose rows are in the base. Call it
     * under the index's read lock (or before anyone else sees the rows); it reads each customer's rows
     * from the newest back, so it touches little more than what it copies.
     */
    static RecentReceipts of(CustomerRows rows, int customers, int from) {
        int[] first = new int[customers + 1];
        int[] day = rows.base.cols[Receipts.DAY];
        int[] amount = rows.base.cols[Receipts.AMOUNT];
        int total = 0;
        Growable.Ints wide = new Growable.Ints(16);
        for (int c = 0; c < customers; c++) {
            first[c] = total;
            if (rows.inDelta[c] != 0) {
                continue;
            }
            int begin = rows.start[c];
            int r = begin + rows.count[c];
            boolean tooWide = false;
            while (r > begin && day[r - 1] >= from) {
                r--;
                tooWide |= amount[r] == Segment.WIDE;
            }
            total += begin + rows.count[c] - r;
            if (tooWide) {
                wide.add(c);
            }
        }
        first[customers] = total;
        RecentReceipts recent = new RecentReceipts(rows.base, from, customers, first, total,
                Arrays.copyOf(wide.a, wide.size));
        recent.copy(rows);
        return recent;
    }

    private void copy(CustomerRows rows) {
        int[] attrs = base.cols[Receipts.ATTRS];
        int[] baseDay = base.cols[Receipts.DAY];
        int[] baseAmount = base.cols[Receipts.AMOUNT];
        for (int c = 0; c < customers; c++) {
            int n = first[c + 1] - first[c];
            int r = rows.start[c] + rows.count[c] - n;
            for (int k = first[c]; k < first[c + 1]; k++, r++) {
                customer[k] = c;
                day[k] = baseDay[r];
                amount[k] = baseAmount[r];
                refund[k] = (byte) (Receipts.refund(attrs[r]) ? 1 : 0);
            }
        }
    }

    /** Whether a window starting on these days (per timezone) lies within the copy. */
    boolean covers(int[] lo) {
        for (int d : lo) {
            if (d < from) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sales, refunds and net cents in [lo, hi] (per the customer's timezone) of customers
     * [at, at + n) into the arrays at [0, n). Customers this copy cannot answer get zeros here; see
     * {@link #forEachLeftOut}.
     */
    void sum(int at, int n, int[] lo, int[] hi, byte[] zone, int[] sales, int[] refunds, long[] cents) {
        Arrays.fill(sales, 0, n, 0);
        Arrays.fill(refunds, 0, n, 0);
        Arrays.fill(cents, 0, n, 0);
        int begin = first[Math.min(at, customers)];
        int end = first[Math.min(at + n, customers)];
        if (lo.length == 1) {
            sumOneZone(begin, end, at, lo[0], hi[0], sales, refunds, cents);
            return;
        }
        for (int r = begin; r < end; r++) {
            int z = zone[customer[r]];
            add(r, customer[r] - at, lo[z], hi[z], sales, refunds, cents);
        }
    }

    private void sumOneZone(int begin, int end, int at, int lo, int hi, int[] sales, int[] refunds, long[] cents) {
        for (int r = begin; r < end; r++) {
            add(r, customer[r] - at, lo, hi, sales, refunds, cents);
        }
    }

    /** One row into its customer's slot, without a branch: rows outside the window add zeros. */
    private void add(int r, int k, int lo, int hi, int[] sales, int[] refunds, long[] cents) {
        int d = day[r];
        int in = (((d - lo) | (hi - d)) >>> 31) ^ 1;
        int back = refund[r];
        long v = amount[r];
        cents[k] += ((v ^ -back) + back) & -in; // v for a sale, -v for a refund, 0 outside
        sales[k] += in & (back ^ 1);
        refunds[k] += in & back;
    }

    /**
     * Calls {@code walk} for each customer of [at, at + n) this copy cannot answer: rows moved to the
     * delta since it was copied, or an amount too wide for its int column.
     */
    void forEachLeftOut(CustomerRows rows, int at, int n, java.util.function.IntConsumer walk) {
        byte[] inDelta = rows.inDelta;
        int w = firstWide(at);
        for (int c = at, end = at + n; c < end; c++) {
            boolean isWide = w < wide.length && wide[w] == c;
            if (isWide) {
                w++;
            }
            if (inDelta[c] != 0 || isWide) {
                walk.accept(c);
            }
        }
    }

    private int firstWide(int at) {
        int i = Arrays.binarySearch(wide, at);
        return i >= 0 ? i : -i - 1;
    }

    long bytes() {
        return (long) first.length * Integer.BYTES + (long) customer.length * (3 * Integer.BYTES + 1)
                + (long) wide.length * Integer.BYTES;
    }
}
