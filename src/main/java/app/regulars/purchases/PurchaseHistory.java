package app.regulars.purchases;

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
}
