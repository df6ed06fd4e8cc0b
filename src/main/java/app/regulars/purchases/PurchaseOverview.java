package app.regulars.purchases;

import java.util.List;

/** A customer's stats and latest timeline entries, read together for the customer 360 view. */
public record PurchaseOverview(CustomerStats stats, List<TimelineEntry> latest) {}
