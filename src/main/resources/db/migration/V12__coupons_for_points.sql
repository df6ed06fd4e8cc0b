-- Coupons bought with points (loyalty's exchange) say so: issued_via 'points'.
alter table coupon drop constraint coupon_issued_via_check;
alter table coupon add constraint coupon_issued_via_check
    check (issued_via in ('console', 'api', 'bulk', 'rule', 'journey', 'draw', 'points'));
