package app.regulars.insights.engine;

import org.springframework.jdbc.core.JdbcTemplate;

/** Receipts written straight into a test's own database, as the intake stores them. */
final class Sales {

    private Sales() {}

    /** Store 1 (SH-01) and SKU 1, which {@link #oneLine} sells. */
    static void oneStoreOneSku(JdbcTemplate jdbc) {
        jdbc.update("insert into store (id, code, name) values (1, 'SH-01', 'a')");
        jdbc.update("insert into sku (id, code, name) values (1, 'SKU-1', 'a')");
    }

    /** A customer who joined at {@code registeredAt} (an ISO time with offset). */
    static void customer(JdbcTemplate jdbc, long id, String registeredAt) {
        jdbc.update("insert into customer (id, registered_at, updated_at) values (?, ?::timestamptz, now())", id, registeredAt);
    }

    /** A sale of one unit of SKU 1 at store 1 ({@link #oneStoreOneSku}), for {@code cents}. */
    static void oneLine(JdbcTemplate jdbc, long id, long customer, String at, long cents) {
        jdbc.update("""
                insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel, total_cents)
                values (?, 'pos', ?, 'sale', ?, 1, ?::timestamptz, 'store', ?)""", id, "R" + id, customer, at, cents);
        jdbc.update("""
                insert into receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, quantity, unit_price_cents,
                                          amount_cents)
                values (?, 1, ?, 1, 'SKU-1', 1, ?, ?)""", id, customer, cents, cents);
    }
}
