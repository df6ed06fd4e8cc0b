package app.regulars.purchases.internal;

import static app.regulars.purchases.internal.SqlArrays.ints;
import static app.regulars.purchases.internal.SqlArrays.longs;
import static app.regulars.purchases.internal.SqlArrays.texts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The receipt tables. Every method is one statement, whatever the batch size. */
@Repository
class ReceiptRows {

    /** The idempotency key of a receipt. */
    record Key(String source, String receiptNo) {}

    /** A receipt as stored, for replays and as the original of refunds. */
    record Stored(long id, Key key, String kind, Long customerId, long storeId, long totalCents) {}

    record NewReceipt(Key key, String kind, Long customerId, long storeId, Instant purchasedAt, String channel,
                      String paymentMethod, Long staffId, String staffCode, long totalCents, long discountCents,
                      Long originalReceiptId, String reasonCode) {}

    record NewLine(long receiptId, int lineNo, Long customerId, long skuId, String skuCode, String categoryCode,
                   int quantity, long unitPriceCents, long discountCents, long amountCents, String couponCode) {}

    private static final String FIND = """
            select r.id, r.source, r.receipt_no, r.kind, r.customer_id, r.store_id, r.total_cents
            from receipt r join unnest(?::text[], ?::text[]) as k(source, receipt_no)
              on r.source = k.source and r.receipt_no = k.receipt_no""";

    /**
     * Receipts and their lines in one statement. WHY: a receipt at the till is one transaction, and each
     * statement is a round trip plus parse/bind/execute on the server; the lines need only the ids
     * the insert returns, so they go in the same statement. Lines join the inserted rows by key, so a
     * receipt that lost a race (on conflict do nothing) gets no lines from this call.
     */
    private static final String INSERT = """
            with r as (
                insert into receipt (source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                     payment_method, staff_id, staff_code, total_cents, discount_cents,
                                     original_receipt_id, reason_code)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
                                     ?::text[]::timestamptz[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[],
                                     ?::bigint[], ?::bigint[], ?::text[])
                on conflict (source, receipt_no) do nothing
                returning id, source, receipt_no),
            l as (
                insert into receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity,
                                          unit_price_cents, discount_cents, amount_cents, coupon_code)
                select r.id, x.line_no, x.customer_id, x.sku_id, x.sku_code, x.category_code, x.quantity,
                       x.unit_price_cents, x.discount_cents, x.amount_cents, x.coupon_code
                from unnest(?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::int[],
                            ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
                     as x(source, receipt_no, line_no, customer_id, sku_id, sku_code, category_code, quantity,
                          unit_price_cents, discount_cents, amount_cents, coupon_code)
                join r on r.source = x.source and r.receipt_no = x.receipt_no)
            select id, source, receipt_no from r""";

    /** A line to insert with its receipt, known by the receipt's key until the insert gives it an id. */
    record KeyedLine(Key key, NewLine line) {}

    private final JdbcTemplate jdbc;

    ReceiptRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The stored receipts among these keys. With {@code lock}, they are locked until the transaction
     * ends: two refunds of one receipt then check their quantities one after the other.
     */
    Map<Key, Stored> find(Collection<Key> keys, boolean lock) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<String> sources = keys.stream().map(Key::source).toList();
        List<String> numbers = keys.stream().map(Key::receiptNo).toList();
        List<Stored> rows = jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement(lock ? FIND + " order by r.id for update of r" : FIND);
            ps.setArray(1, texts(c, sources));
            ps.setArray(2, texts(c, numbers));
            return ps;
        }, (rs, i) -> stored(rs));
        Map<Key, Stored> found = new HashMap<>();
        rows.forEach(s -> found.put(s.key(), s));
        return found;
    }

    /** Quantity per SKU code, per receipt: what was sold on these receipts. */
    Map<Long, Map<String, Integer>> quantities(Collection<Long> receiptIds) {
        return perReceipt("""
                select receipt_id, sku_code, sum(quantity)::int from receipt_line
                where receipt_id = any(?) group by receipt_id, sku_code""", receiptIds);
    }

    /** Quantity per SKU code already refunded, per original receipt. */
    Map<Long, Map<String, Integer>> refunded(Collection<Long> originalIds) {
        return perReceipt("""
                select r.original_receipt_id, l.sku_code, sum(l.quantity)::int
                from receipt r join receipt_line l on l.receipt_id = r.id
                where r.original_receipt_id = any(?) group by r.original_receipt_id, l.sku_code""", originalIds);
    }

    private Map<Long, Map<String, Integer>> perReceipt(String sql, Collection<Long> ids) {
        Map<Long, Map<String, Integer>> result = new HashMap<>();
        if (ids.isEmpty()) {
            return result;
        }
        List<Long> list = List.copyOf(ids);
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement(sql);
            ps.setArray(1, longs(c, list));
            return ps;
        }, rs -> {
            result.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
        });
        return result;
    }

    /**
     * Inserts the receipts not stored yet with their lines (whose receiptId is ignored: they are
     * matched by key); returns the ids of the receipts this call wrote.
     */
    Map<Key, Long> insert(List<NewReceipt> receipts, List<KeyedLine> keyedLines) {
        Map<Key, Long> ids = new HashMap<>();
        if (receipts.isEmpty()) {
            return ids;
        }
        List<NewLine> lines = new ArrayList<>(keyedLines.size());
        keyedLines.forEach(k -> lines.add(k.line()));
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement(INSERT);
            ps.setArray(1, texts(c, receipts.stream().map(r -> r.key().source()).toList()));
            ps.setArray(2, texts(c, receipts.stream().map(r -> r.key().receiptNo()).toList()));
            ps.setArray(3, texts(c, receipts.stream().map(NewReceipt::kind).toList()));
            ps.setArray(4, longs(c, receipts.stream().map(NewReceipt::customerId).toList()));
            ps.setArray(5, longs(c, receipts.stream().map(NewReceipt::storeId).toList()));
            ps.setArray(6, texts(c, receipts.stream().map(r -> r.purchasedAt().toString()).toList()));
            ps.setArray(7, texts(c, receipts.stream().map(NewReceipt::channel).toList()));
            ps.setArray(8, texts(c, receipts.stream().map(NewReceipt::paymentMethod).toList()));
            ps.setArray(9, longs(c, receipts.stream().map(NewReceipt::staffId).toList()));
            ps.setArray(10, texts(c, receipts.stream().map(NewReceipt::staffCode).toList()));
            ps.setArray(11, longs(c, receipts.stream().map(NewReceipt::totalCents).toList()));
            ps.setArray(12, longs(c, receipts.stream().map(NewReceipt::discountCents).toList()));
            ps.setArray(13, longs(c, receipts.stream().map(NewReceipt::originalReceiptId).toList()));
            ps.setArray(14, texts(c, receipts.stream().map(NewReceipt::reasonCode).toList()));
            ps.setArray(15, texts(c, keyedLines.stream().map(k -> k.key().source()).toList()));
            ps.setArray(16, texts(c, keyedLines.stream().map(k -> k.key().receiptNo()).toList()));
            ps.setArray(17, ints(c, lines.stream().map(NewLine::lineNo).toList()));
            ps.setArray(18, longs(c, lines.stream().map(NewLine::customerId).toList()));
            ps.setArray(19, longs(c, lines.stream().map(NewLine::skuId).toList()));
            ps.setArray(20, texts(c, lines.stream().map(NewLine::skuCode).toList()));
            ps.setArray(21, texts(c, lines.stream().map(NewLine::categoryCode).toList()));
            ps.setArray(22, ints(c, lines.stream().map(NewLine::quantity).toList()));
            ps.setArray(23, longs(c, lines.stream().map(NewLine::unitPriceCents).toList()));
            ps.setArray(24, longs(c, lines.stream().map(NewLine::discountCents).toList()));
            ps.setArray(25, longs(c, lines.stream().map(NewLine::amountCents).toList()));
            ps.setArray(26, texts(c, lines.stream().map(NewLine::couponCode).toList()));
            return ps;
        }, rs -> {
            ids.put(new Key(rs.getString(2), rs.getString(3)), rs.getLong(1));
        });
        return ids;
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        long customer = rs.getLong("customer_id");
        Long customerId = rs.wasNull() ? null : customer;
        return new Stored(rs.getLong("id"), new Key(rs.getString("source"), rs.getString("receipt_no")),
                rs.getString("kind"), customerId, rs.getLong("store_id"), rs.getLong("total_cents"));
    }
}
