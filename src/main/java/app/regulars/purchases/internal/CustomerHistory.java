package app.regulars.purchases.internal;

import static app.regulars.purchases.internal.SqlArrays.longs;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.purchases.CustomerStats;
import app.regulars.purchases.MonthlySpend;
import app.regulars.purchases.PurchaseHistory;
import app.regulars.purchases.PurchaseOverview;
import app.regulars.purchases.StoreFilter;
import app.regulars.purchases.TimelineEntry;
import app.regulars.purchases.TimelinePage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Reads a customer's stats and timeline: three statements a page (one for the overview), whatever its content. */
@Service
class CustomerHistory implements PurchaseHistory {

    private static final String TIMELINE = """
            select kind, id, at, type, store_id, reference, total_cents, payment_method, original, reason_code,
                   rating, detail
            from (select r.kind, r.id, r.purchased_at as at, r.channel as type, r.store_id, r.receipt_no as reference,
                         r.total_cents, r.payment_method, o.receipt_no as original, r.reason_code,
                         null::smallint as rating, null::text as detail
                  from receipt r left join receipt o on o.id = r.original_receipt_id
                  where r.customer_id = ? and (?::bigint[] is null or r.store_id = any(?))
                  union all
                  select 'interaction', i.id, i.occurred_at, i.type, i.store_id, i.external_id, 0, null, null, null,
                         i.rating, i.detail::text
                  from interaction i
                  where i.customer_id = ? and (?::bigint[] is null or i.store_id = any(?))) t
            order by at desc, id desc
            limit ? offset ?""";

    /**
     * Stats and the newest entries in one statement. Each branch is limited on its own (index order by
     * customer and time), so a customer with years of receipts costs no more than one with five; lines
     * come along as arrays rather than in a second query.
     */
    private static final String OVERVIEW = """
            select s.customer_id as stats_of, s.first_purchase_at, s.last_purchase_at, s.orders, s.spend_cents,
                   s.refunds, s.refund_cents,
                   t.kind, t.id, t.at, t.type, t.store_id, t.reference, t.total_cents, t.payment_method, t.original,
                   t.reason_code, t.rating, t.detail, t.skus, t.quantities, t.amounts, t.coupons
            from (select ?::bigint as customer_id, ?::int as latest) k
            left join customer_stats s on s.customer_id = k.customer_id
            left join lateral (
                select e.*, l.skus, l.quantities, l.amounts, l.coupons
                from ((select r.kind, r.id, r.purchased_at as at, r.channel as type, r.store_id,
                              r.receipt_no as reference, r.total_cents, r.payment_method, o.receipt_no as original,
                              r.reason_code, null::smallint as rating, null::text as detail
                       from receipt r left join receipt o on o.id = r.original_receipt_id
                       where r.customer_id = k.customer_id
                       order by r.purchased_at desc, r.id desc limit k.latest)
                      union all
                      (select 'interaction', i.id, i.occurred_at, i.type, i.store_id, i.external_id, 0, null, null,
                              null, i.rating, i.detail::text
                       from interaction i where i.customer_id = k.customer_id
                       order by i.occurred_at desc, i.id desc limit k.latest)
                      order by at desc, id desc limit k.latest) e
                left join lateral (
                    select array_agg(rl.sku_code order by rl.line_no) as skus,
                           array_agg(rl.quantity order by rl.line_no) as quantities,
                           array_agg(rl.amount_cents order by rl.line_no) as amounts,
                           array_agg(rl.coupon_code order by rl.line_no) as coupons
                    from receipt_line rl where e.kind <> 'interaction' and rl.receipt_id = e.id) l on true
            ) t on true
            order by t.at desc nulls last, t.id desc""";

    private final JdbcTemplate jdbc;
    private final Catalog catalog;
    private final ObjectMapper json;

    CustomerHistory(JdbcTemplate jdbc, Catalog catalog, ObjectMapper json) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.json = json;
    }

    @Override
    public CustomerStats stats(long customerId) {
        List<CustomerStats> found = jdbc.query("""
                select customer_id, first_purchase_at, last_purchase_at, orders, spend_cents, refunds, refund_cents
                from customer_stats where customer_id = ?""", (rs, i) -> new CustomerStats(rs.getLong(1),
                instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)), rs.getInt(4), rs.getLong(5), rs.getInt(6),
                rs.getLong(7)), customerId);
        return found.isEmpty() ? CustomerStats.none(customerId) : found.getFirst();
    }

    /** Sales and refunds at some stores only, summed from the receipts (customer_stats is chain-wide). */
    private static final String STATS_AT_STORES = """
            select min(purchased_at) filter (where kind = 'sale'), max(purchased_at) filter (where kind = 'sale'),
                   count(*) filter (where kind = 'sale'), coalesce(sum(total_cents) filter (where kind = 'sale'), 0),
                   count(*) filter (where kind = 'refund'), coalesce(sum(total_cents) filter (where kind = 'refund'), 0)
            from receipt where customer_id = ? and store_id = any(?)""";

    @Override
    public CustomerStats stats(long customerId, StoreFilter stores) {
        if (stores.allStores()) {
            return stats(customerId);
        }
        return jdbc.query(c -> {
            var ps = c.prepareStatement(STATS_AT_STORES);
            ps.setLong(1, customerId);
            ps.setArray(2, longs(c, stores.storeIds()));
            return ps;
        }, (rs, i) -> new CustomerStats(customerId, instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)),
                rs.getInt(3), rs.getLong(4), rs.getInt(5), rs.getLong(6))).getFirst();
    }

    @Override
    public TimelinePage timeline(long customerId, int page) {
        return timeline(customerId, page, StoreFilter.ALL);
    }

    @Override
    public TimelinePage timeline(long customerId, int page, StoreFilter stores) {
        int p = Math.max(page, 0);
        List<Row> rows = jdbc.query(c -> {
            var ps = c.prepareStatement(TIMELINE);
            var array = stores.allStores() ? null : longs(c, stores.storeIds());
            ps.setLong(1, customerId);
            ps.setArray(2, array);
            ps.setArray(3, array);
            ps.setLong(4, customerId);
            ps.setArray(5, array);
            ps.setArray(6, array);
            ps.setInt(7, PAGE_SIZE + 1);
            ps.setLong(8, (long) p * PAGE_SIZE);
            return ps;
        }, (rs, i) -> row(rs));
        boolean more = rows.size() > PAGE_SIZE;
        List<Row> shown = more ? rows.subList(0, PAGE_SIZE) : rows;
        Map<Long, List<TimelineEntry.Line>> lines = lines(shown.stream()
                .filter(r -> !"interaction".equals(r.kind())).map(Row::id).toList());
        Map<Long, String> storeNames = new HashMap<>();
        List<TimelineEntry> entries = new ArrayList<>(shown.size());
        for (Row r : shown) {
            String storeName = r.storeId() == null ? null : storeNames.computeIfAbsent(r.storeId(),
                    id -> catalog.store(id).map(Store::name).orElse(null));
            boolean interaction = "interaction".equals(r.kind());
            entries.add(new TimelineEntry(r.kind(), r.id(), r.at(), r.type(), r.storeId(), storeName, r.reference(),
                    r.totalCents(), r.paymentMethod(), r.original(), r.reasonCode(), r.rating(),
                    interaction ? List.of() : lines.getOrDefault(r.id(), List.of()), detail(r.detail())));
        }
        return new TimelinePage(customerId, p, PAGE_SIZE, more, entries);
    }

    /** A scoped reader's overview: its stats and the first timeline page cut to {@code latest}. */
    @Override
    public PurchaseOverview overview(long customerId, int latest, StoreFilter stores) {
        if (stores.allStores()) {
            return overview(customerId, latest);
        }
        List<TimelineEntry> entries = timeline(customerId, 0, stores).entries();
        return new PurchaseOverview(stats(customerId, stores),
                entries.subList(0, Math.min(Math.max(latest, 0), entries.size())));
    }

    @Override
    public PurchaseOverview overview(long customerId, int latest) {
        CustomerStats[] stats = {CustomerStats.none(customerId)};
        List<TimelineEntry> entries = new ArrayList<>();
        Map<Long, String> storeNames = new HashMap<>();
        jdbc.query(OVERVIEW, rs -> {
            if (rs.getObject("stats_of") != null) {
                stats[0] = new CustomerStats(customerId, instant(rs.getTimestamp("first_purchase_at")),
                        instant(rs.getTimestamp("last_purchase_at")), rs.getInt("orders"), rs.getLong("spend_cents"),
                        rs.getInt("refunds"), rs.getLong("refund_cents"));
            }
            if (rs.getString("kind") == null) {
                return; // no entries: the one row carries the stats alone
            }
            Row r = row(rs);
            String storeName = r.storeId() == null ? null : storeNames.computeIfAbsent(r.storeId(),
                    id -> catalog.store(id).map(Store::name).orElse(null));
            entries.add(new TimelineEntry(r.kind(), r.id(), r.at(), r.type(), r.storeId(), storeName, r.reference(),
                    r.totalCents(), r.paymentMethod(), r.original(), r.reasonCode(), r.rating(), arrayLines(rs),
                    detail(r.detail())));
        }, customerId, Math.max(latest, 0));
        return new PurchaseOverview(stats[0], entries);
    }

    /** Receipts per local month; the time zone is a parameter, so one plan serves every chain. */
    private static final String MONTHLY = """
            select to_char(purchased_at at time zone ?, 'YYYY-MM'), count(*) filter (where kind = 'sale'),
                   coalesce(sum(total_cents) filter (where kind = 'sale'), 0),
                   coalesce(sum(total_cents) filter (where kind = 'refund'), 0)
            from receipt
            where customer_id = ? and purchased_at >= ? and (?::bigint[] is null or store_id = any(?))
            group by 1 order by 1""";

    @Override
    public List<MonthlySpend> monthly(long customerId, ZoneId zone, YearMonth from, StoreFilter stores) {
        return jdbc.query(c -> {
            var ps = c.prepareStatement(MONTHLY);
            var array = stores.allStores() ? null : longs(c, stores.storeIds());
            ps.setString(1, zone.getId());
            ps.setLong(2, customerId);
            ps.setTimestamp(3, Timestamp.from(from.atDay(1).atStartOfDay(zone).toInstant()));
            ps.setArray(4, array);
            ps.setArray(5, array);
            return ps;
        }, (rs, i) -> new MonthlySpend(YearMonth.parse(rs.getString(1)), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
    }

    private static List<TimelineEntry.Line> arrayLines(ResultSet rs) throws SQLException {
        java.sql.Array skus = rs.getArray("skus");
        if (skus == null) {
            return List.of();
        }
        Object[] codes = (Object[]) skus.getArray();
        Object[] quantities = (Object[]) rs.getArray("quantities").getArray();
        Object[] amounts = (Object[]) rs.getArray("amounts").getArray();
        Object[] coupons = (Object[]) rs.getArray("coupons").getArray();
        List<TimelineEntry.Line> lines = new ArrayList<>(codes.length);
        for (int i = 0; i < codes.length; i++) {
            lines.add(new TimelineEntry.Line((String) codes[i], ((Number) quantities[i]).intValue(),
                    ((Number) amounts[i]).longValue(), (String) coupons[i], null));
        }
        return lines;
    }

    private Map<Long, List<TimelineEntry.Line>> lines(List<Long> receiptIds) {
        Map<Long, List<TimelineEntry.Line>> map = new HashMap<>();
        if (receiptIds.isEmpty()) {
            return map;
        }
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("""
                    select l.receipt_id, l.sku_code, l.quantity, l.amount_cents, l.coupon_code, s.name
                    from receipt_line l left join sku s on s.id = l.sku_id
                    where l.receipt_id = any(?) order by l.receipt_id, l.line_no""");
            ps.setArray(1, longs(c, receiptIds));
            return ps;
        }, rs -> {
            map.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(
                    new TimelineEntry.Line(rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6)));
        });
        return map;
    }

    private Map<String, Object> detail(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        long store = rs.getLong("store_id");
        Long storeId = rs.wasNull() ? null : store;
        int rating = rs.getInt("rating");
        Integer ratingOrNull = rs.wasNull() ? null : rating;
        return new Row(rs.getString("kind"), rs.getLong("id"), instant(rs.getTimestamp("at")), rs.getString("type"),
                storeId, rs.getString("reference"), rs.getLong("total_cents"), rs.getString("payment_method"),
                rs.getString("original"), rs.getString("reason_code"), ratingOrNull, rs.getString("detail"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private record Row(String kind, long id, Instant at, String type, Long storeId, String reference, long totalCents,
                       String paymentMethod, String original, String reasonCode, Integer rating, String detail) {}
}
