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

    /** One sale of the batch, as the consumer needs it. */
    private record Sale(long receiptId, long totalCents, String source, String receiptNo, List<String> codes,
                        Long customerId, Instant at) {}

    /**
     * Works per batch, not per event: one statement binds the batch's sales to redemptions, one records
     * first sales, and rules and campaigns are read once. The pump holds its transaction open while this
     * runs, and an open writing transaction holds back every consumer's view of the feed.
     */
    @Override
    public void apply(List<FeedEvent> events) {
        List<Sale> sales = new ArrayList<>();
        for (FeedEvent e : events) {
            if ("receipt.accepted".equals(e.type())) {
                JsonNode p = e.payload();
                List<String> codes = new ArrayList<>();
                p.path("couponCodes").forEach(c -> codes.add(CouponCodes.normalise(c.asText())));
                sales.add(new Sale(p.path("receiptId").asLong(), p.path("totalCents").asLong(),
                        p.path("source").asText(null), p.path("receiptNo").asText(null), codes, e.customerId(),
                        e.occurredAt()));
            } else if ("refund.accepted".equals(e.type())) {
                bind(sales);
                sales.clear();
                refund(e); // after the sales before it are bound: a refund in the same batch finds its sale
            }
        }
        bind(sales);
        firstSales(events);
        grantDraws(events);
    }

    private void bind(List<Sale> sales) {
        if (sales.isEmpty()) {
            return;
        }
        List<Sale> keyed = sales.stream().filter(x -> x.source() != null && x.receiptNo() != null).toList();
        Set<String> bound = new java.util.HashSet<>();
        if (!keyed.isEmpty()) {
            jdbc.sql("""
                            update coupon_redemption r set receipt_id = u.id, receipt_total_cents = u.total
                            from unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) as u(source, no, id, total)
                            where r.source = u.source and r.receipt_no = u.no and r.receipt_id is null
                              and r.reversed_at is null
                            returning u.id""")
                    .params(keyed.stream().map(Sale::source).toArray(String[]::new),
                            keyed.stream().map(Sale::receiptNo).toArray(String[]::new),
                            keyed.stream().map(Sale::receiptId).toArray(Long[]::new),
                            keyed.stream().map(Sale::totalCents).toArray(Long[]::new))
                    .query(Long.class).list().forEach(id -> bound.add(String.valueOf(id)));
        }
        for (Sale sale : sales) {
            if (sale.codes().isEmpty() || bound.contains(String.valueOf(sale.receiptId()))) {
                continue;
            }
            int byCode = jdbc.sql("""
                            update coupon_redemption set receipt_id = ?, receipt_total_cents = ?
                            where receipt_id is null and reversed_at is null and id in
                                (select redemption_id from coupon where code = any(?) and status = 'redeemed')""")
                    .params(sale.receiptId(), sale.totalCents(), sale.codes().toArray(String[]::new)).update();
            if (byCode == 0 && sale.source() != null && sale.receiptNo() != null) {
                // Posted before its redemption: remembered so the redemption can bind when it comes.
                jdbc.sql("""
                                insert into coupon_receipt (source, receipt_no, receipt_id, total_cents) values (?, ?, ?, ?)
                                on conflict do nothing""")
                        .params(sale.source(), sale.receiptNo(), sale.receiptId(), sale.totalCents()).update();
            }
        }
    }

    private void firstSales(List<FeedEvent> events) {
        // The first sale of each customer in this batch (feed order), then those that are first ever.
        Map<Long, FeedEvent> firstInBatch = new java.util.LinkedHashMap<>();
        for (FeedEvent e : events) {
            if ("receipt.accepted".equals(e.type()) && e.customerId() != null) {
                firstInBatch.putIfAbsent(e.customerId(), e);
            }
        }
        if (firstInBatch.isEmpty()) {
            return;
        }
        List<FeedEvent> candidates = List.copyOf(firstInBatch.values());
        List<Long> firsts = jdbc.sql("""
                        insert into coupon_first_sale (customer_id, receipt_id, at)
                        select c, r, a::timestamptz from unnest(?::bigint[], ?::bigint[], ?::text[]) as u(c, r, a)
                        on conflict do nothing returning customer_id""")
                .params(candidates.stream().map(FeedEvent::customerId).toArray(Long[]::new),
                        candidates.stream().map(e -> e.payload().path("receiptId").asLong()).toArray(Long[]::new),
                        candidates.stream().map(e -> e.occurredAt().toString()).toArray(String[]::new))
                .query(Long.class).list();
        if (firsts.isEmpty()) {
            return;
        }
        List<Object[]> rules = jdbc.sql("""
                        select id, template_id, created_at from coupon_rule where trigger = 'first_purchase' and active""")
                .query((rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()}).list();
        for (long customer : firsts) {
            Instant at = firstInBatch.get(customer).occurredAt();
            for (Object[] rule : rules) {
                if (((Instant) rule[2]).isAfter(at.plus(GRACE))) {
                    continue; // bought before the rule was switched on
                }
                Issuance.Outcome outcome = issuance.tryIssue(new Issue((Long) rule[1], customer,
                        "first-purchase:" + rule[0] + ":" + customer, "rule"));
                if (outcome.refusal() != null) {
                    log.info("First-purchase coupon of template {} not issued to customer {}: {}", rule[1], customer,
                            outcome.refusal());
                }
            }
        }
    }

    private void grantDraws(List<FeedEvent> events) {
        List<Object[]> campaigns = jdbc.sql("""
                        select id, receipt_min_cents, created_at from draw_campaign
                        where active and receipt_min_cents is not null""")
                .query((rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()}).list();
        if (campaigns.isEmpty()) {
            return;
        }
        for (FeedEvent e : events) {
            if (!"receipt.accepted".equals(e.type()) || e.customerId() == null) {
                continue;
            }
            long receiptId = e.payload().path("receiptId").asLong();
            long total = e.payload().path("totalCents").asLong();
            for (Object[] c : campaigns) {
                if (total >= (Long) c[1] && !((Instant) c[2]).isAfter(e.occurredAt().plus(GRACE))) {
                    draws.grant((Long) c[0], e.customerId(), "receipt:" + receiptId + ":" + c[0], "receipt");
                }
            }
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
