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
     * call (or continuing an interrupted one) issues nothing twice. Issues in batches of
     * 1,000 customers, each batch its own transaction under the template's lock, so a
     * long list neither holds one giant transaction nor keeps other issuers of the template waiting for it.
     */
    BulkIssued issueToAll(long templateId, Collection<Long> customerIds, String issueKey, String via);

    /**
     * {@link #issueToAll} for the members of a saved segment at this moment. Throws
     * {@link app.regulars.platform.ApiProblem} 404 naming {@code segmentId} for an unknown segment.
     */
    BulkIssued issueToSegment(long templateId, long segmentId, String issueKey, String via);

    /** What {@link #issueToSegment} with this key would do now; writes nothing. */
    BulkPlan planForSegment(long templateId, long segmentId, String issueKey);

    /** The customer's coupons, newest first. */
    List<CustomerCoupon> ofCustomer(long customerId);

    Optional<CustomerCoupon> byCode(String code);
}
