package app.regulars.purchases;

import java.time.Instant;

/**
 * What a customer has bought so far, kept from the event feed. Refunds are counted apart and
 * subtracted for {@link #netSpendCents()}; a customer with no receipts has zeros and null times.
 */
public record CustomerStats(long customerId, Instant firstPurchaseAt, Instant lastPurchaseAt, int orders,
                            long spendCents, int refunds, long refundCents) {

    public static CustomerStats none(long customerId) {
        return new CustomerStats(customerId, null, null, 0, 0, 0, 0);
    }

    public long netSpendCents() {
        return spendCents - refundCents;
    }

    /** Average order value in cents (net of refunds), 0 without orders. */
    public long averageOrderCents() {
        return orders == 0 ? 0 : Math.round((double) netSpendCents() / orders);
    }
}
