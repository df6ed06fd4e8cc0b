package app.regulars.coupons;

import app.regulars.loyalty.CouponExchange;
import app.regulars.platform.ApiProblem;
import org.springframework.stereotype.Component;

/**
 * Loyalty's points-for-coupon exchange: a coupon of the template (named by its id) issued inside the
 * transaction that spends the points, so both commit or neither; the exchange's key makes a retry
 * return the same coupon.
 */
@Component
class PointsForCoupons implements CouponExchange {

    private final Coupons coupons;

    PointsForCoupons(Coupons coupons) {
        this.coupons = coupons;
    }

    @Override
    public String issue(long customerId, String templateCode, String idempotencyKey) {
        long templateId;
        try {
            templateId = Long.parseLong(templateCode.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("templateCode", "the id of a coupon template, got '" + templateCode + "'");
        }
        return coupons.issue(new Issue(templateId, customerId, "points:" + idempotencyKey, "points")).code();
    }
}
