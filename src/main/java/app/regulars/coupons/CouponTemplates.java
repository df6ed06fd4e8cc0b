package app.regulars.coupons;

import java.util.List;
import java.util.Optional;

/**
 * Coupon templates: what a coupon gives, where, when, how it combines and how many may be issued.
 * Writes check every field first and throw {@link app.regulars.platform.ApiProblem} naming each bad one,
 * saving nothing.
 */
public interface CouponTemplates {

    CouponTemplate create(TemplateDraft draft);

    /**
     * Replaces a template's terms. Coupons already issued keep their validity dates; their value follows
     * the template. Caps cannot go below what has been issued.
     */
    CouponTemplate update(long id, TemplateDraft draft);

    Optional<CouponTemplate> find(long id);

    /** Every template, newest first. */
    List<CouponTemplate> all();

    /** Issued, redeemed, redemption rate, revenue of the redeeming receipts and cost, per template. */
    List<TemplateStats> stats();

    TemplateStats stats(long templateId);

    /** Issues a coupon of the template on each customer's first sale from now on (0 to stop). */
    void issueOnFirstPurchase(long templateId, boolean on);

    /** Templates currently issued on a first purchase. */
    List<Long> firstPurchaseTemplates();
}
