/**
 * Coupons: templates, issuance with unguessable codes, quotes and redemptions at the till, and
 * instant-win draws (满额抽奖). The public API is {@link app.regulars.coupons.Coupons},
 * {@link app.regulars.coupons.CouponTemplates} and {@link app.regulars.coupons.Draws}.
 */
package app.regulars.coupons;
