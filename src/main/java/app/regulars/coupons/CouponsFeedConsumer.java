package app.regulars.coupons;

import app.regulars.platform.EventFeed;
import app.regulars.platform.FeedConsumer;
import app.regulars.platform.FeedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What receipts and refunds mean for coupons, in the pump's transaction (each event exactly once):
 * <ul>
 *   <li>a sale is tied to the redemption made for it (by source and receipt number, else by the coupon
 *       codes on its lines), which gives the template stats their revenue;</li>
 *   <li>a customer's first sale issues the first-purchase templates (rules switched on before the sale);</li>
 *   <li>a sale of at least a campaign's threshold grants a draw;</li>
 *   <li>refunds that, together, give back the whole receipt reverse its redemption: the coupons are
 *       usable again until their own end date. A partial refund keeps the coupon used (the till spread
 *       the discount over the lines, so the money back is already net of it).</li>
 * </ul>
 */
@Component
class CouponsFeedConsumer implements FeedConsumer {

    private static final Logger log = LoggerFactory.getLogger(CouponsFeedConsumer.class);

    /** Tills' clocks and offline queues: a sale stamped this much before a rule was switched on still counts. */
    static final Duration GRACE = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final Issuance issuance;
    private final Draws draws;
    private final EventFeed feed;
    private final Clock clock;

    CouponsFeedConsumer(JdbcClient jdbc, Issuance issuance, Draws draws, EventFeed feed, Clock clock) {
        this.jdbc = jdbc;
        this.issuance = issuance;
        this.draws = draws;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "coupons";
    }

    @Override
    public Set<String> topics() {
        return Set.of("purchases");
    }

    @Override
    public void apply(List<FeedEvent> events) {
        for (FeedEvent e : events) {
            switch (e.type()) {
                case "receipt.accepted" -> sale(e);
                case "refund.accepted" -> refund(e);
                default -> { /* other purchase facts do not concern coupons */ }
            }
        }
    }

    private void sale(FeedEvent e) {
        JsonNode p = e.payload();
        long receiptId = p.path("receiptId").asLong();
        long total = p.path("totalCents").asLong();
        String source = p.path("source").asText(null);
        String receiptNo = p.path("receiptNo").asText(null);
        List<String> codes = new ArrayList<>();
        p.path("couponCodes").forEach(c -> codes.add(CouponCodes.normalise(c.asText())));
        int bound = 0;
        if (source != null && receiptNo != null) {
            bound = jdbc.sql("""
                            update coupon_redemption set receipt_id = ?, receipt_total_cents = ?
                            where source = ? and receipt_no = ? and receipt_id is null and reversed_at is null""")
                    .params(receiptId, total, source, receiptNo).update();
        }
        if (bound == 0 && !codes.isEmpty()) {
            bound = jdbc.sql("""
                            update coupon_redemption set receipt_id = ?, receipt_total_cents = ?
                            where receipt_id is null and reversed_at is null and id in
                                (select redemption_id from coupon where code = any(?) and status = 'redeemed')""")
                    .params(receiptId, total, codes.toArray(String[]::new)).update();
            if (bound == 0 && source != null && receiptNo != null) {
                // Posted before its redemption: remembered so the redemption can bind when it comes.
                jdbc.sql("""
                                insert into coupon_receipt (source, receipt_no, receipt_id, total_cents) values (?, ?, ?, ?)
                                on conflict do nothing""")
                        .params(source, receiptNo, receiptId, total).update();
            }
        }
        if (e.customerId() != null) {
            firstSale(e, receiptId);
            grantDraws(e, receiptId, total);
        }
    }

    private void firstSale(FeedEvent e, long receiptId) {
        int first = jdbc.sql("insert into coupon_first_sale (customer_id, receipt_id, at) values (?, ?, ?) on conflict do nothing")
                .params(e.customerId(), receiptId, JdbcCouponTemplates.ts(e.occurredAt())).update();
        if (first == 0) {
            return;
        }
        List<long[]> rules = jdbc.sql("""
                        select id, template_id from coupon_rule
                        where trigger = 'first_purchase' and active and created_at <= ?""")
                .param(JdbcCouponTemplates.ts(e.occurredAt().plus(GRACE)))
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        for (long[] rule : rules) {
            Issuance.Outcome outcome = issuance.tryIssue(new Issue(rule[1], e.customerId(),
                    "first-purchase:" + rule[0] + ":" + e.customerId(), "rule"));
            if (outcome.refusal() != null) {
                log.info("First-purchase coupon of template {} not issued to customer {}: {}", rule[1], e.customerId(),
                        outcome.refusal());
            }
        }
    }

    private void grantDraws(FeedEvent e, long receiptId, long total) {
        List<Long> campaigns = jdbc.sql("""
                        select id from draw_campaign
                        where active and receipt_min_cents is not null and receipt_min_cents <= ? and created_at <= ?""")
                .params(total, JdbcCouponTemplates.ts(e.occurredAt().plus(GRACE))).query(Long.class).list();
        for (long campaign : campaigns) {
            draws.grant(campaign, e.customerId(), "receipt:" + receiptId + ":" + campaign, "receipt");
        }
    }

    private void refund(FeedEvent e) {
        long original = e.payload().path("originalReceiptId").asLong();
        long total = e.payload().path("totalCents").asLong();
        List<Long> reversible = jdbc.sql("""
                        update coupon_redemption set refunded_cents = refunded_cents + ?
                        where receipt_id = ? and reversed_at is null
                        returning id, refunded_cents >= receipt_total_cents as whole""")
                .params(total, original)
                .query((rs, i) -> rs.getBoolean("whole") ? rs.getLong("id") : null).list()
                .stream().filter(id -> id != null).toList();
        Instant now = clock.instant();
        for (long redemption : reversible) {
            jdbc.sql("update coupon_redemption set reversed_at = ? where id = ?")
                    .params(JdbcCouponTemplates.ts(now), redemption).update();
            List<long[]> coupons = jdbc.sql("""
                            update coupon set status = 'active', redemption_id = null
                            where redemption_id = ? returning id, template_id, customer_id""")
                    .param(redemption).query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list();
            feed.appendAll(coupons.stream().map(c -> new EventFeed.NewEvent(Issuance.TOPIC, "coupon.reversed", c[2], now,
                    Map.of("couponId", c[0], "templateId", c[1], "redemptionId", redemption,
                            "refundReceiptId", e.payload().path("receiptId").asLong()))).toList());
        }
    }
}
