package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.insights.Memberships;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A receipt that a till committed for a customer just after that customer was merged away: the merge
 * moved the receipts it saw, this one's row still names the merged customer (the known edge of
 * docs/decisions/0011). Customers 1 and 2 bought once each; 2 is merged into 1, then the late receipt
 * for 2 arrives through the feed. The survivor has bought three times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiptAfterMergeTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");
    private static final Rule THREE_ORDERS = RuleText.parse("orders() >= 3 and spent() = 60");

    private JdbcTemplate jdbc;
    private CheckedEngine checked;
    private IndexedRuleEngine engine;
    private SqlOracle oracle;

    @BeforeAll
    void chain() {
        DataSource dataSource = PrivateDatabase.fresh();
        jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        jdbc.update("insert into customer (id, registered_at, updated_at) values "
                + "(1, '2025-01-01T10:00:00+08:00', now()), (2, '2025-01-01T10:00:00+08:00', now())");
        Sales.oneLine(jdbc, 1, 1, "2026-06-01T10:00:00+08:00", 2000);
        Sales.oneLine(jdbc, 2, 2, "2026-06-02T10:00:00+08:00", 2000);
        checked = new CheckedEngine(dataSource, NOW);
        engine = checked.engine;
        oracle = checked.oracle;

        // The merge, as JdbcDuplicates and PurchasesFollowMerges write it.
        jdbc.update("update customer set merged_into = 1 where id = 2");
        jdbc.update("update receipt set customer_id = 1 where customer_id = 2");
        jdbc.update("update receipt_line set customer_id = 1 where customer_id = 2");
        jdbc.update("""
                insert into event_feed (topic, type, customer_id, occurred_at, payload)
                values ('customers', 'customer.merged', 1, now(), '{"survivor": 1, "merged": 2}')""");
        // The till's transaction had resolved the phone to customer 2 before the merge committed.
        Sales.oneLine(jdbc, 3, 2, "2026-06-10T10:00:00+08:00", 2000);
        jdbc.update("""
                insert into event_feed (topic, type, customer_id, occurred_at, payload)
                values ('purchases', 'receipt.accepted', 2, now(), '{"receiptId": 3}')""");
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    private List<Long> engineFinds(Rule rule) {
        return checked.engineFinds(rule);
    }

    @Test
    void theEngineCountsTheLateReceiptForTheSurvivor() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(engineFinds(THREE_ORDERS)).containsExactly(1L));
        assertThat(engine.metricsOf(2).orElseThrow().customerId()).isEqualTo(1L);
    }

    /**
     * The oracle reads receipts by {@code r.customer_id = c.id} over living customers, so the late row
     * (customer_id 2, merged into 1) counts for no one: it finds no one here, the engine finds 1. Enable
     * with the fix: the oracle reads a customer's receipts, lines and interactions from their own rows
     * union all the rows of the customers merged into them.
     */

    @Test
    void theOracleAgreesWithTheEngineAboutTheLateReceipt() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(engineFinds(THREE_ORDERS)).containsExactly(1L));
        assertThat(oracle.customers(THREE_ORDERS, Memberships.NONE, NOW)).containsExactly(1L);
    }
}
