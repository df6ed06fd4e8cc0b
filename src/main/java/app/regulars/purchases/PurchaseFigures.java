package app.regulars.purchases;

import java.time.LocalDate;
import java.util.List;

/**
 * Chain figures for the console's overview: receipts, revenue and refunds per day and per store, and
 * how many buyers came back. Days are calendar days in the chain's timezone ({@code regulars.timezone}),
 * both ends included. Revenue is what sales took; refunds are counted on the day the money went back.
 */
public interface PurchaseFigures {

    /** One row per day from {@code from} to {@code to}, days without receipts included (as zeros). */
    List<Day> daily(LocalDate from, LocalDate to, StoreFilter stores);

    /** One row per store with a receipt in those days, highest revenue first. */
    List<ByStore> byStore(LocalDate from, LocalDate to, StoreFilter stores);

    /** Customers who bought at least once, and those who bought twice or more, since the first receipt. */
    RepeatCustomers repeatCustomers(StoreFilter stores);

    /** A day's sales receipts and their revenue, and its refunds. */
    record Day(LocalDate day, long receipts, long revenueCents, long refunds, long refundsCents) {}

    /** A store's sales receipts and their revenue, and its refunds, over some days. */
    record ByStore(long storeId, long receipts, long revenueCents, long refunds, long refundsCents) {}

    /** Identified buyers (anonymous receipts count for nobody) and the ones with two sales or more. */
    record RepeatCustomers(long buyers, long repeatBuyers) {

        /** Share of buyers who came back, 0 to 1; 0 without buyers. */
        public double rate() {
            return buyers == 0 ? 0 : (double) repeatBuyers / buyers;
        }
    }
}
