package app.regulars.loyalty;

/**
 * The hook through which points buy a coupon: implemented by the coupons module (a bean of this type),
 * called by loyalty inside the transaction that spends the points, so both commit or neither.
 */
public interface CouponExchange {

    /**
     * Issues one coupon of the template to the customer.
     *
     * @return a reference to the issued coupon (its code or id), shown in the ledger
     * @throws app.regulars.platform.ApiProblem when the template cannot be issued (unknown, out of budget)
     */
    String issue(long customerId, String templateCode, String idempotencyKey);
}
