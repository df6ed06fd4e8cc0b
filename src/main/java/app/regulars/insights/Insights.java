package app.regulars.insights;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read access to the insights index for other modules and the console: one customer's metrics and
 * analytics over everyone (the dashboard's questions), answered from memory.
 */
public interface Insights {

    /** The customer's metrics and RFM (a merged-away customer's id answers for the survivor). */
    Optional<CustomerInsights> metricsOf(long customerId);

    /** For each calendar month with buyers, the share of its buyers who had bought before it. */
    List<MonthlyRepurchase> repurchaseRate();

    /** Customers by first-purchase month (cohort) and months since (0 = the cohort month) with a purchase. */
    List<CohortCell> cohorts();

    /**
     * The repurchase rate as seen from some stores only: their sale receipts are the only purchases
     * (a buyer "bought before" when they bought before at one of these stores). For store managers.
     */
    List<MonthlyRepurchase> repurchaseRate(Set<Long> storeIds);

    /** Cohorts over the sale receipts of some stores only (first purchase at one of them). */
    List<CohortCell> cohorts(Set<Long> storeIds);

    /**
     * What each first-purchase month's customers spent k months later (0 = the cohort month), net of
     * refunds (a refund counts in the month it was made): divided by the cohort's size and summed over
     * k, a customer's lifetime value so far. Cells that come to 0 are left out.
     */
    List<CohortValue> cohortValues();

    /** {@link #cohortValues()} over some stores' receipts only, cohorts as in {@link #cohorts(Set)}. */
    List<CohortValue> cohortValues(Set<Long> storeIds);

    /** What the index holds and what it costs. */
    IndexFigures figures();

    record MonthlyRepurchase(YearMonth month, long buyers, long repeatBuyers) {
        public double rate() {
            return buyers == 0 ? 0 : (double) repeatBuyers / buyers;
        }
    }

    record CohortCell(YearMonth cohort, int monthsLater, long customers) {}

    record CohortValue(YearMonth cohort, int monthsLater, long netCents) {}

    /**
     * What the index holds and what it cost; while the first build runs, how far it has read
     * ({@code rowsRead} of about {@code rowsExpected}: customers, receipts and lines, from the table
     * statistics, so an estimate) and, once read, how many of the {@code arrangeSteps} that lay the
     * rows out by customer are done.
     */
    record IndexFigures(boolean ready, int customers, long receipts, long lines, long interactions,
                        long receiptBytes, long buildMillis, long rowsRead, long rowsExpected, int arranged,
                        int arrangeSteps) {

        /** Reading is the first {@value #READING}% of the bar. */
        static final int READING = 70;

        /**
         * How far the first build has got, 0–99 (100 only once ready). WHY TWO PARTS: laying 10M receipts
         * out takes a third of the build, and a bar that stops at 99% for it looks stuck.
         */
        public int buildPercent() {
            if (ready) {
                return 100;
            }
            int reading = rowsExpected <= 0 ? 0 : (int) Math.min(READING, rowsRead * READING / rowsExpected);
            int arranging = arrangeSteps <= 0 ? 0 : arranged * (99 - READING) / arrangeSteps;
            return Math.min(99, (arranged > 0 ? READING : reading) + arranging);
        }

        /** Rows read of the estimate, 0–100. */
        public int readPercent() {
            return rowsExpected <= 0 ? 0 : (int) Math.min(100, rowsRead * 100 / rowsExpected);
        }

        /** Every row is read and they are being laid out. */
        public boolean arranging() {
            return !ready && arranged > 0;
        }
    }
}
