package app.regulars.loyalty;

/**
 * What other modules (coupons' draws, the till) may do with a customer's points. Every call is
 * idempotent on its key: a retry with the same key has one effect and returns the first answer.
 */
public interface PointsAccounts {

    /** Adds spendable points (a lot with the configured expiry), e.g. a draw's prize. */
    void award(long customerId, long points, String reason, String idempotencyKey);

    /**
     * Spends points, oldest-expiring lots first.
     *
     * @return false (and nothing written) when the spendable balance is short
     */
    boolean spend(long customerId, long points, String reason, String idempotencyKey);

    /** Points the customer can spend now (pending points locked in a return window excluded). */
    long spendable(long customerId);
}
