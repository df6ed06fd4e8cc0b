package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.insights.rule.RuleText;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * orders, refunds and spent over a window with no other filter share one scan of the rows per window
 * ({@link Nodes.WindowScan}). Each customer here is one edge of that scan; every answer is checked
 * against the SQL oracle as well. Today is 2026-06-15 in Shanghai.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WindowScanTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");

    private JdbcTemplate jdbc;
    private CheckedEngine checked;

    @BeforeAll
    void chain() {
        DataSource dataSource = PrivateDatabase.fresh();
        jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        for (int id = 1; id <= 8; id++) {
            jdbc.update("insert into customer (id, registered_at, updated_at) values (?, '2025-01-01T10:00:00+08:00', now())",
                    id);
        }
        // 1: one sale in the last 30 days, an older one before.
        Sales.oneLine(jdbc, 1, 1, "2026-01-10T10:00:00+08:00", 9_900);
        Sales.oneLine(jdbc, 2, 1, "2026-06-01T10:00:00+08:00", 12_000);
        // 2: a sale long ago, refunded within the last 30 days: the newest row is the refund.
        Sales.oneLine(jdbc, 3, 2, "2026-01-10T10:00:00+08:00", 5_000);
        refund(4, 2, 3, "2026-06-10T10:00:00+08:00", 5_000);
        // 3: one sale of 30 million yuan, more than an int of cents holds.
        Sales.oneLine(jdbc, 5, 3, "2026-06-12T10:00:00+08:00", 3_000_000_000L);
        // 4: two sales in the last 30 days.
        Sales.oneLine(jdbc, 6, 4, "2026-06-02T10:00:00+08:00", 1_000);
        Sales.oneLine(jdbc, 7, 4, "2026-06-03T10:00:00+08:00", 2_000);
        // 5: one sale last month and one this month.
        Sales.oneLine(jdbc, 8, 5, "2026-05-20T10:00:00+08:00", 4_000);
        Sales.oneLine(jdbc, 9, 5, "2026-06-05T10:00:00+08:00", 7_000);
        // 6: nothing yet; buys while the engine runs.
        // 7: one sale in the last 30 days; buys again while the engine runs.
        Sales.oneLine(jdbc, 11, 7, "2026-06-01T10:00:00+08:00", 3_300);
        // 8: a sale 196 days ago, older than the recent receipts the engine keeps packed, and a recent one.
        Sales.oneLine(jdbc, 12, 8, "2025-12-01T10:00:00+08:00", 30_000);
        Sales.oneLine(jdbc, 13, 8, "2026-06-01T10:00:00+08:00", 50_000);
        // 9: lives by a Honolulu store, where it is still 2026-06-14: its 30 days run from 05-16 to 06-14.
        jdbc.update("insert into store (id, code, name, timezone) values (2, 'HNL-01', 'b', 'Pacific/Honolulu')");
        jdbc.update("""
                insert into customer (id, registered_at, updated_at, home_store_id)
                values (9, '2025-01-01T10:00:00+08:00', now(), 2)""");
        Sales.oneLine(jdbc, 15, 9, "2026-05-16T10:00:00+08:00", 1_100);
        Sales.oneLine(jdbc, 16, 9, "2026-06-15T10:00:00+08:00", 2_200);
        checked = new CheckedEngine(dataSource, NOW);
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    private void refund(long id, long customer, long original, String at, long cents) {
        jdbc.update("""
                insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                     total_cents, original_receipt_id)
                values (?, 'pos', ?, 'refund', ?, 1, ?::timestamptz, 'store', ?, ?)""", id, "R" + id, customer, at,
                cents, original);
    }

    /** A sale written with its feed event, as the intake writes them, after the index was built. */
    private void buysWhileTheEngineRuns(long receipt, long customer, String at, long cents) {
        Sales.oneLine(jdbc, receipt, customer, at, cents);
        jdbc.update("""
                insert into event_feed (topic, type, customer_id, occurred_at, payload)
                values ('purchases', 'receipt.accepted', ?, now(), ?::json)""", customer,
                "{\"receiptId\": " + receipt + "}");
    }

    @Test
    void onlyTheReceiptsInTheWindowCountAndBothAggregatesAgree() {
        assertThat(checked.matches(RuleText.parse("orders(30d) = 1 and spent(30d) = 120"))).containsExactly(1L);
        assertThat(checked.matches(RuleText.parse("orders(30d) = 2 and spent(30d) = 30"))).containsExactly(4L);
    }

    @Test
    void aRefundCountsAsARefundAndTakesItsAmountOff() {
        assertThat(checked.matches(RuleText.parse("refunds(30d) = 1 and orders(30d) = 0 and spent(30d) = -50")))
                .containsExactly(2L);
    }

    @Test
    void anAmountTooWideForAnIntIsSpentInFull() {
        assertThat(checked.matches(RuleText.parse("spent(30d) = 30000000"))).containsExactly(3L);
    }

    @Test
    void aReceiptAfterACalendarWindowIsLeftOut() {
        assertThat(checked.matches(RuleText.parse("orders(last_month) = 1 and spent(last_month) = 40"))).containsExactly(5L);
    }

    @Test
    void aReceiptArrivingLaterCountsAtOnce() {
        buysWhileTheEngineRuns(10, 6, "2026-06-14T10:00:00+08:00", 6_600);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(checked.matches(RuleText.parse("orders(7d) = 1 and spent(7d) = 66"))).containsExactly(6L));
    }

    @Test
    void aCustomerWhoBuysAgainWhileTheEngineRunsIsSummedOverTheOldReceiptAndTheNew() {
        assertThat(checked.matches(RuleText.parse("orders(30d) = 1 and spent(30d) = 33"))).containsExactly(7L);
        buysWhileTheEngineRuns(14, 7, "2026-06-14T10:00:00+08:00", 4_400);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(checked.matches(RuleText.parse("orders(30d) = 2 and spent(30d) = 77"))).containsExactly(7L));
    }

    @Test
    void aWindowReachingFurtherBackThanTheRecentReceiptsCountsTheOlderOnesToo() {
        assertThat(RecentReceipts.DAYS).isLessThan(196);
        assertThat(checked.matches(RuleText.parse("orders(365d) = 2 and spent(365d) = 800"))).containsExactly(8L);
        assertThat(checked.matches(RuleText.parse("orders(90d) = 1 and spent(90d) = 500"))).containsExactly(8L);
    }

    @Test
    void theWindowRunsOnTheDaysOfTheCustomersOwnTimezone() {
        assertThat(checked.matches(RuleText.parse("orders(30d) = 1 and spent(30d) = 11"))).containsExactly(9L);
    }
}
