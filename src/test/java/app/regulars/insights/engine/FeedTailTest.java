package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.insights.rule.RuleText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The feed's transaction ids are numbers, and the tail reads them in number order. Two sales commit
 * either side of a transaction id with one more digit (…9999 and 10000…) while an older transaction
 * holds both back, so the tail reads them in one batch: each is counted once.
 */
class FeedTailTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");

    @Test
    void salesEitherSideOfATransactionIdWithOneMoreDigitAreCountedOnceEach() throws SQLException {
        DataSource dataSource = PrivateDatabase.fresh();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        Sales.customer(jdbc, 1, "2025-01-01T10:00:00+08:00");
        CheckedEngine checked = new CheckedEngine(dataSource, NOW);
        try (Connection older = dataSource.getConnection()) {
            long boundary = burnTransactionIdsToJustBelowAPowerOfTen(dataSource);
            older.setAutoCommit(false);
            transactionId(older); // from here until it ends, the tail reads nothing committed after it

            long first = saleInItsOwnTransaction(dataSource, 1, "2026-06-01T10:00:00+08:00");
            assertThat(first).as("the first sale's transaction id").isLessThan(boundary);
            burnTransactionIdsUpTo(dataSource, boundary);
            long second = saleInItsOwnTransaction(dataSource, 2, "2026-06-02T10:00:00+08:00");
            assertThat(second).as("the second sale's transaction id").isGreaterThanOrEqualTo(boundary);
            older.rollback();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(checked.engineFinds(RuleText.parse("orders() >= 2"))).containsExactly(1L));
        // Polls go on every few milliseconds while the feed is busy: a sale read again would show by now.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(checked.engineFinds(RuleText.parse("orders() = 2 and spent() = 40"))).containsExactly(1L));
        checked.stop();
    }

    @Test
    void aCustomersEarlierSaleKeepsItsLinesWhenTheirNextSaleArrives() {
        DataSource dataSource = PrivateDatabase.fresh();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        jdbc.update("insert into category (id, code, name) values (1, 'skincare', 's')");
        Sales.customer(jdbc, 1, "2025-01-01T10:00:00+08:00");
        CheckedEngine checked = new CheckedEngine(dataSource, NOW);
        // Each sale the tail reads on its own: the first becomes the last row of the index's newest rows, and
        // the second moves the customer's rows, the first one's lines with them.
        skincareSale(jdbc, 1, "2026-05-01T10:00:00+08:00");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(checked.engineFinds(RuleText.parse("orders() = 1"))).containsExactly(1L));
        skincareSale(jdbc, 2, "2026-06-01T10:00:00+08:00");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(checked.engineFinds(RuleText.parse("orders() = 2"))).containsExactly(1L));

        assertThat(checked.matches(RuleText.parse("orders(category = \"skincare\") = 2"))).containsExactly(1L);
        assertThat(checked.matches(RuleText.parse("quantity() = 2"))).containsExactly(1L);
        checked.stop();
    }

    /** A sale of one skincare item for 20, then its feed event (committed after it, as the tail needs). */
    private static void skincareSale(JdbcTemplate jdbc, long id, String at) {
        jdbc.update("""
                insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel, total_cents)
                values (?, 'pos', ?, 'sale', 1, 1, ?::timestamptz, 'store', 2000)""", id, "R" + id, at);
        jdbc.update("""
                insert into receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity,
                                          unit_price_cents, amount_cents)
                values (?, 1, 1, 1, 'SKU-1', 'skincare', 1, 2000, 2000)""", id);
        jdbc.update("""
                insert into event_feed (topic, type, customer_id, occurred_at, payload)
                values ('purchases', 'receipt.accepted', 1, now(), ?::json)""", "{\"receiptId\": " + id + "}");
    }

    /** A sale of 20 and its feed event, committed together as the intake commits them; returns its transaction id. */
    private static long saleInItsOwnTransaction(DataSource dataSource, long receiptId, String at) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            JdbcTemplate jdbc = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(c, true));
            Sales.oneLine(jdbc, receiptId, 1, at, 2000);
            jdbc.update("""
                    insert into event_feed (topic, type, customer_id, occurred_at, payload)
                    values ('purchases', 'receipt.accepted', 1, now(), ?::json)""", "{\"receiptId\": " + receiptId + "}");
            long tx = transactionId(c);
            c.commit();
            return tx;
        }
    }

    /**
     * Uses up transaction ids until the next is a few below a power of ten (leaving room for the older
     * transaction and the first sale), and returns that power of ten.
     */
    private static long burnTransactionIdsToJustBelowAPowerOfTen(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long current = transactionId(c);
            long boundary = 10;
            while (boundary - 10 <= current) {
                boundary *= 10;
            }
            burn(c, boundary - 10 - current);
            return boundary;
        }
    }

    /** Uses up transaction ids until the next one is at least {@code next}. */
    private static void burnTransactionIdsUpTo(DataSource dataSource, long next) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            burn(c, next - 1 - transactionId(c));
        }
    }

    /** Uses up about {@code count} ids in one transaction: each subtransaction that writes takes one. */
    private static void burn(Connection c, long count) throws SQLException {
        if (count <= 0) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("create temp table if not exists burnt (i int)");
            s.execute("do $$ begin for i in 1.." + count + " loop begin insert into burnt values (i);"
                    + " exception when others then null; end; end loop; end $$");
        }
    }

    /** The id of the connection's transaction (in autocommit, a transaction of its own, which this uses up). */
    private static long transactionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_current_xact_id()::text")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }
}
