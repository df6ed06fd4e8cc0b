package app.regulars.coupons;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Issuing coupons and reading them back: for the console, the API, journeys and draws. Issuance
 * enforces the template's total quantity, budget and per-customer limit under concurrency (the template
 * row is locked for the issuing transaction), and is idempotent on the issue key.
 */
public interface Coupons {

    /**
     * Issues one coupon in the caller's transaction (or its own). Throws
     * {@link app.regulars.platform.ApiProblem}: 404 for an unknown template, 409 naming the cap that is
     * reached ({@code PER_CUSTOMER_LIMIT}, {@code QUANTITY_CAP}, {@code BUDGET_CAP}, {@code TEMPLATE_INACTIVE}).
     */
    Issued issue(Issue issue);

    /**
     * Issues one coupon to each customer, in order, until a cap is reached; those who get none are listed
     * with the reason. Each customer's coupon is keyed {@code issueKey + ":" + customerId}, so repeating the
     * call (or continuing an interrupted one) issues nothing twice. A segment's member ids (from the
     * insights module) are passed here as they are.
     */
    BulkIssued issueToAll(long templateId, Collection<Long> customerIds, String issueKey, String via);

    /** The customer's coupons, newest first. */
    List<CustomerCoupon> ofCustomer(long customerId);

    Optional<CustomerCoupon> byCode(String code);
}
