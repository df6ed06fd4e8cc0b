package app.regulars.purchases.internal;

import static app.regulars.purchases.internal.SqlArrays.ints;
import static app.regulars.purchases.internal.SqlArrays.longs;
import static app.regulars.purchases.internal.SqlArrays.texts;

import app.regulars.platform.FeedConsumer;
import app.regulars.platform.FeedEvent;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code customer_stats} from the purchases feed, in the pump's transaction (so each event
 * counts exactly once). Stats are sums, minima and maxima, so a batch is folded per customer in
 * memory and written with one statement. Events of a customer merged into another count for the
 * survivor; the merge event itself adds the merged customer's row to the survivor's.
 */
@Component
class CustomerStatsConsumer implements FeedConsumer {

    static final String MOVED = "receipts.moved";

    private static final String UPSERT = """
            insert into customer_stats as s (customer_id, first_purchase_at, last_purchase_at, orders, spend_cents,
                                             refunds, refund_cents, updated_at)
            select c, f::timestamptz, l::timestamptz, o, sp, r, rc, now()
            from unnest(?::bigint[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::int[], ?::bigint[])
                 as u(c, f, l, o, sp, r, rc)
            on conflict (customer_id) do update set
                first_purchase_at = least(s.first_purchase_at, excluded.first_purchase_at),
                last_purchase_at = greatest(s.last_purchase_at, excluded.last_purchase_at),
                orders = s.orders + excluded.orders,
                spend_cents = s.spend_cents + excluded.spend_cents,
                refunds = s.refunds + excluded.refunds,
                refund_cents = s.refund_cents + excluded.refund_cents,
                updated_at = now()""";

    private static final String MOVE = """
            with gone as (delete from customer_stats where customer_id = ? returning *)
            insert into customer_stats as s (customer_id, first_purchase_at, last_purchase_at, orders, spend_cents,
                                             refunds, refund_cents, updated_at)
            select ?, first_purchase_at, last_purchase_at, orders, spend_cents, refunds, refund_cents, now() from gone
            on conflict (customer_id) do update set
                first_purchase_at = least(s.first_purchase_at, excluded.first_purchase_at),
                last_purchase_at = greatest(s.last_purchase_at, excluded.last_purchase_at),
                orders = s.orders + excluded.orders,
                spend_cents = s.spend_cents + excluded.spend_cents,
                refunds = s.refunds + excluded.refunds,
                refund_cents = s.refund_cents + excluded.refund_cents,
                updated_at = now()""";

    private final JdbcTemplate jdbc;

    CustomerStatsConsumer(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "customer-stats";
    }

    @Override
    public Set<String> topics() {
        return Set.of(ReceiptIntake.TOPIC);
    }

    @Override
    public void apply(List<FeedEvent> events) {
        Map<Long, Long> redirects = redirects(events);
        Map<Long, Delta> deltas = new LinkedHashMap<>();
        for (FeedEvent e : events) {
            if (MOVED.equals(e.type())) {
                // Sums commute: the merged customer's row can join the survivor's at any point of the batch.
                jdbc.update(MOVE, e.payload().path("mergedId").asLong(), e.payload().path("survivorId").asLong());
                continue;
            }
            if (e.customerId() == null) {
                continue; // anonymous receipts have no one to count for
            }
            long customer = redirects.getOrDefault(e.customerId(), e.customerId());
            Delta d = deltas.computeIfAbsent(customer, Delta::new);
            long total = e.payload().path("totalCents").asLong();
            switch (e.type()) {
                case "receipt.accepted" -> d.sale(e.occurredAt(), total);
                case "refund.accepted" -> d.refund(total);
                default -> { /* other purchase facts do not change the stats */ }
            }
        }
        upsert(List.copyOf(deltas.values()));
    }

    private Map<Long, Long> redirects(List<FeedEvent> events) {
        List<Long> ids = events.stream().map(FeedEvent::customerId).filter(c -> c != null).distinct().toList();
        Map<Long, Long> map = new HashMap<>();
        if (ids.isEmpty()) {
            return map;
        }
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement(
                    "select merged_id, survivor_id from customer_stats_redirect where merged_id = any(?)");
            ps.setArray(1, longs(c, ids));
            return ps;
        }, rs -> {
            map.put(rs.getLong(1), rs.getLong(2));
        });
        return map;
    }

    private void upsert(List<Delta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement(UPSERT);
            ps.setArray(1, longs(c, deltas.stream().map(d -> d.customerId).toList()));
            ps.setArray(2, texts(c, deltas.stream().map(d -> d.first == null ? null : d.first.toString()).toList()));
            ps.setArray(3, texts(c, deltas.stream().map(d -> d.last == null ? null : d.last.toString()).toList()));
            ps.setArray(4, ints(c, deltas.stream().map(d -> d.orders).toList()));
            ps.setArray(5, longs(c, deltas.stream().map(d -> d.spend).toList()));
            ps.setArray(6, ints(c, deltas.stream().map(d -> d.refunds).toList()));
            ps.setArray(7, longs(c, deltas.stream().map(d -> d.refundCents).toList()));
            return ps;
        });
    }

    /** What one batch adds to one customer's stats. */
    private static final class Delta {
        final long customerId;
        Instant first;
        Instant last;
        int orders;
        long spend;
        int refunds;
        long refundCents;

        Delta(long customerId) {
            this.customerId = customerId;
        }

        void sale(Instant at, long total) {
            orders++;
            spend += total;
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }

        void refund(long total) {
            refunds++;
            refundCents += total;
        }
    }
}
