package app.regulars.purchases;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

/** What other modules and the console may read of a customer's purchases and interactions. */
public interface PurchaseHistory {

    int PAGE_SIZE = 20;

    /** The customer's purchase stats; zeros when the customer has bought nothing (yet). */
    CustomerStats stats(long customerId);

    /** Receipts and interactions merged, newest first, {@link #PAGE_SIZE} a page, page 0 first. */
    TimelinePage timeline(long customerId, int page);

    /**
     * Stats and the {@code latest} newest timeline entries (receipts with their lines), in one round
     * trip: the customer 360 lookup is the hottest read a till or a service desk makes.
     */
    PurchaseOverview overview(long customerId, int latest);

    /**
     * The same three questions for a store-scoped reader: only receipts and interactions at the
     * filter's stores count and show (an online interaction, with no store, does not).
     */
    CustomerStats stats(long customerId, StoreFilter stores);

    TimelinePage timeline(long customerId, int page, StoreFilter stores);

    PurchaseOverview overview(long customerId, int latest, StoreFilter stores);

    /**
     * The customer's receipts month by month, calendar months in {@code zone}, from {@code from} on,
     * oldest first; months without receipts are left out. Refunds count in the month they were made.
     */
    List<MonthlySpend> monthly(long customerId, ZoneId zone, YearMonth from, StoreFilter stores);
}
