package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.regulars.insights.Memberships;
import app.regulars.insights.RuleReferenceException;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The loyalty facts of the rule language on a small chain computed by hand; the SQL oracle must agree
 * on every rule. Today is Monday 2026-06-15 (noon in Shanghai).
 * <ul>
 *   <li>Ann (1), gold, 1,200 points. Open lots: 300 expiring 06-20, 500 expiring 07-20, 200 that never
 *       expire, 100 that expired on 06-14 (the schedule has not run yet) and a spent-out lot expiring
 *       06-16. Coupons: 满300减50 valid to 07-01 (unused), 满300减50 valid to 06-10 (expired), 满300减50
 *       redeemed 05-01, 生日券 redeemed 01-10, 满300减50 valid until 01:00 today (still "unused" today).</li>
 *   <li>Bob (2): no points account, no coupons.</li>
 *   <li>Cy (3), silver, 50 points; 40 points expiring at 23:00 today.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoyaltyFactsTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");
    private static final long ANN = 1;
    private static final long BOB = 2;
    private static final long CY = 3;

    private JdbcTemplate jdbc;
    private CheckedEngine checked;
    private IndexedRuleEngine engine;
    private SqlOracle oracle;
    private long entry;

    @BeforeAll
    void chain() {
        DataSource dataSource = PrivateDatabase.fresh();
        jdbc = new JdbcTemplate(dataSource);
        jdbc.update("insert into store (id, code, name, timezone) values (1, 'SH-01', 'a', 'Asia/Shanghai')");
        jdbc.update("""
                insert into customer (id, home_store_id, registered_at, updated_at) values
                (1, 1, '2025-01-01T10:00:00+08:00', now()), (2, 1, '2025-01-01T10:00:00+08:00', now()),
                (3, 1, '2025-01-01T10:00:00+08:00', now())""");
        jdbc.update("insert into points_account (customer_id, balance, tier_code) values (1, 1200, 'gold'), (3, 50, 'silver')");
        lot(ANN, 300, 300, "2026-06-20T10:00:00+08:00");
        lot(ANN, 500, 500, "2026-07-20T10:00:00+08:00");
        lot(ANN, 200, 200, null);
        lot(ANN, 100, 100, "2026-06-14T10:00:00+08:00");
        lot(ANN, 80, 0, "2026-06-16T10:00:00+08:00");
        lot(CY, 40, 40, "2026-06-15T23:00:00+08:00");
        jdbc.update("""
                insert into coupon_template (id, name, kind, amount_cents, valid_days, face_cents) values
                (1, '满300减50', 'fixed', 5000, 30, 5000), (2, '生日券', 'fixed', 2000, 30, 2000)""");
        long may = redemption("2026-05-01T12:00:00+08:00");
        long january = redemption("2026-01-10T12:00:00+08:00");
        coupon(1, ANN, "2026-07-01T00:00:00+08:00", null);
        coupon(1, ANN, "2026-06-10T00:00:00+08:00", null);
        coupon(1, ANN, "2026-05-30T00:00:00+08:00", may);
        coupon(2, ANN, "2026-02-01T00:00:00+08:00", january);
        coupon(1, ANN, "2026-06-15T01:00:00+08:00", null);
        checked = new CheckedEngine(dataSource, NOW);
        engine = checked.engine;
        oracle = checked.oracle;
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    private void lot(long customer, long points, long remaining, String expiresAt) {
        entry++;
        jdbc.update("""
                insert into points_entry (id, customer_id, kind, points, idempotency_key, occurred_at)
                values (?, ?, 'earn', ?, ?, '2026-01-01T10:00:00+08:00')""", entry, customer, points, "e" + entry);
        jdbc.update("""
                insert into points_lot (customer_id, entry_id, points, remaining, earned_at, available_at, expires_at)
                values (?, ?, ?, ?, '2026-01-01T10:00:00+08:00', '2026-01-08T10:00:00+08:00', ?::timestamptz)""",
                customer, entry, points, remaining, expiresAt);
    }

    private long redemption(String at) {
        return jdbc.queryForObject("""
                insert into coupon_redemption (source, till_txn_id, receipt_no, customer_id, store_id, basket_cents,
                                               discount_cents, result, redeemed_at)
                values ('pos', gen_random_uuid()::text, 'R', 1, 1, 30000, 5000, '{}', ?::timestamptz) returning id""",
                Long.class, at);
    }

    private void coupon(long template, long customer, String validUntil, Long redemption) {
        jdbc.update("""
                insert into coupon (code, template_id, customer_id, issue_key, issued_via, issued_at, valid_from,
                                    valid_until, face_cents, status, redemption_id)
                values (gen_random_uuid()::text, ?, ?, gen_random_uuid()::text, 'console', '2026-01-01T10:00:00+08:00',
                        '2026-01-01T10:00:00+08:00', ?::timestamptz, 5000, ?, ?)""",
                template, customer, validUntil, redemption == null ? "active" : "redeemed", redemption);
    }

    private List<Long> matches(String text) {
        return checked.matches(RuleText.parse(text));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "tier = \"gold\"|1",
            "tier = \"silver\"|3",
            "tier = \"basic\"|2",
            "tier in (\"gold\", \"silver\")|1 3",
            "points_balance > 1000|1",
            "points_balance = 0|2",
            "points_expiring(30d) = 300|1",
            "points_expiring(this_month) = 300|1",
            "points_expiring(40d) = 800|1",
            "points_expiring() = 800|1",
            "points_expiring(1d) = 40|3",
            "points_expiring(between(2026-06-16, 2026-06-30)) = 300|1",
            "coupons_unused = 2|1",
            "coupons_unused = 0|2 3",
            "coupon_redeemed(\"满300减50\", 90d) = 1|1",
            "coupon_redeemed(\"满300减50\", last_month) = 1|1",
            "coupon_redeemed(\"满300减50\", this_month) = 0|1 2 3",
            "coupon_redeemed(\"生日券\", 90d) = 0|1 2 3",
            "coupon_redeemed(\"生日券\") = 1|1",
    })
    void loyaltyFactsAreAsComputedByHand(String rule, String expected) {
        List<Long> want = java.util.Arrays.stream(expected.split(" ")).map(Long::valueOf).toList();
        assertThat(matches(rule)).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    void anUnknownCouponTemplateIsAReferenceErrorInTheEngineAndTheOracle() {
        Rule rule = RuleText.parse("coupon_redeemed(\"nothing\", 90d) > 0");
        assertThatThrownBy(() -> engine.evaluate(rule, Memberships.NONE)).isInstanceOf(RuleReferenceException.class)
                .hasMessageContaining("nothing");
        assertThatThrownBy(() -> oracle.customers(rule, Memberships.NONE, NOW)).isInstanceOf(RuleReferenceException.class);
    }

    @Test
    @Order(Integer.MAX_VALUE) // it changes Bob, whom the other examples count as having nothing
    void aPointsEventInTheFeedMakesTheNewBalanceCountWithoutARestart() {
        assertThat(matches("points_balance >= 5000")).doesNotContain(BOB);
        jdbc.execute("""
                begin;
                insert into points_account (customer_id, balance, tier_code) values (2, 5000, 'silver');
                insert into event_feed (topic, type, customer_id, occurred_at, payload)
                values ('loyalty', 'points.adjusted', 2, now(), '{}');
                commit""");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(matches("points_balance >= 5000 and tier = \"silver\"")).containsExactly(BOB));
    }
}
