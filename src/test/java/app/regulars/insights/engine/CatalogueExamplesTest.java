package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.insights.CustomerInsights;
import app.regulars.insights.Memberships;
import app.regulars.insights.RuleReferenceException;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleText;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Value;
import app.regulars.insights.rule.Window;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each catalogue entry on a small chain computed by hand. Today is Monday 2026-06-15 in Shanghai.
 * Ann (1): sales 2026-02-15 SH-01 (3 × SKU-3 at ¥10, no category), 2026-05-20 SH-02 online alipay
 * (SKU-2 beauty ¥50 less ¥5 discount), 2026-06-10 SH-01 (2 × SKU-1 skincare ¥100, coupon); a refund
 * 2026-06-12 of one SKU-1 (¥100). Bob (2): no purchases. Cat (3): merged into Ann. D1..D4 (4..7):
 * 1, 2, 4, 5 sales of ¥10 on 2025-01-01..04, for RFM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogueExamplesTest {

    private static final Span S = Span.NONE;
    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");
    private static final long ANN = 1;
    private static final long BOB = 2;

    private CheckedEngine checked;
    private IndexedRuleEngine engine;
    private JdbcTemplate jdbc;

    @BeforeAll
    void chain() {
        DataSource dataSource = PrivateDatabase.fresh();
        jdbc = new JdbcTemplate(dataSource);
        jdbc.update("insert into store (id, code, name) values (1, 'SH-01', 'a'), (2, 'SH-02', 'b')");
        jdbc.update("insert into category (id, code, name, parent_id) values (1, 'beauty', 'b', null), (2, 'skincare', 's', 1)");
        jdbc.update("insert into sku (id, code, name, category_id) values (1, 'SKU-1', 'a', 2), (2, 'SKU-2', 'b', 1), "
                + "(3, 'SKU-3', 'c', null)");
        jdbc.update("insert into holiday (code, name_zh, name_en, date, kind, window_before_days, window_after_days) values "
                + "('spring_festival', '春节', 'Spring Festival', '2026-02-17', 'lunar', 14, 7)");
        jdbc.update("insert into custom_field (key, label_zh, label_en, type, created_at) values "
                + "('vip_level', 'v', 'v', 'text', now()), ('gone', 'g', 'g', 'text', now())");
        jdbc.update("update custom_field set active = false where key = 'gone'");
        jdbc.update("""
                insert into customer (id, gender, birth_mmdd, home_store_id, registration_store_id, registration_channel,
                                      registered_at, updated_at, custom) values
                (1, 'female', '0618', 1, 2, 'store', '2025-06-15T10:00:00+08:00', now(), '{"vip_level":"A"}'),
                (2, 'male', null, 2, null, null, '2026-06-01T10:00:00+08:00', now(), '{}'),
                (3, null, null, null, null, null, '2026-06-01T10:00:00+08:00', now(), '{}'),
                (4, null, null, null, null, null, '2024-01-01T10:00:00+08:00', now(), '{}'),
                (5, null, null, null, null, null, '2024-01-01T10:00:00+08:00', now(), '{}'),
                (6, null, null, null, null, null, '2024-01-01T10:00:00+08:00', now(), '{}'),
                (7, null, null, null, null, null, '2024-01-01T10:00:00+08:00', now(), '{}')""");
        jdbc.update("update customer set merged_into = 1 where id = 3");
        receipt(jdbc, 1, "sale", 1, 1, "2026-02-15T10:00:00+08:00", "store", "wechat_pay", 3000, 0, null);
        line(jdbc, 1, 1, 3, "SKU-3", null, 3, 3000, null);
        receipt(jdbc, 2, "sale", 1, 2, "2026-05-20T10:00:00+08:00", "online", "alipay", 4500, 500, null);
        line(jdbc, 2, 1, 2, "SKU-2", "beauty", 1, 4500, null);
        receipt(jdbc, 3, "sale", 1, 1, "2026-06-10T10:00:00+08:00", "store", "wechat_pay", 20000, 0, null);
        line(jdbc, 3, 1, 1, "SKU-1", "skincare", 2, 20000, "C1");
        receipt(jdbc, 4, "refund", 1, 1, "2026-06-12T10:00:00+08:00", "store", "wechat_pay", 10000, 0, 3L);
        line(jdbc, 4, 1, 1, "SKU-1", "skincare", 1, 10000, null);
        int[] sales = {1, 2, 4, 5};
        long id = 10;
        for (int d = 0; d < 4; d++) {
            for (int k = 0; k < sales[d]; k++) {
                receipt(jdbc, id, "sale", 4 + d, 2, "2025-01-0" + (d + 1) + "T10:00:00+08:00", "store", "cash", 1000, 0, null);
                line(jdbc, id++, 1, 3, "SKU-3", null, 1, 1000, null);
            }
        }
        jdbc.update("""
                insert into interaction (source, external_id, customer_id, type, occurred_at, store_id, sku_id, rating) values
                ('app', 'e1', 1, 'visit', '2026-06-01T10:00:00+08:00', 1, null, null),
                ('app', 'e2', 1, 'visit', '2026-03-01T10:00:00+08:00', 2, null, null),
                ('app', 'e3', 1, 'page_view', '2026-06-14T10:00:00+08:00', null, 1, null),
                ('app', 'e4', 1, 'review', '2026-06-10T10:00:00+08:00', 1, 1, 5),
                ('app', 'e5', 1, 'review', '2026-04-01T10:00:00+08:00', 2, 2, 2),
                ('app', 'e6', 1, 'review', '2026-06-12T10:00:00+08:00', 1, 2, null)""");
        checked = new CheckedEngine(dataSource, NOW);
        engine = checked.engine;
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    private static void receipt(JdbcTemplate jdbc, long id, String kind, long customer, long store, String at,
                                String channel, String payment, long total, long discount, Long original) {
        jdbc.update("""
                insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                     payment_method, total_cents, discount_cents, original_receipt_id)
                values (?, 'pos', ?, ?, ?, ?, ?::timestamptz, ?, ?, ?, ?, ?)""", id, "R" + id, kind, customer, store, at,
                channel, payment, total, discount, original);
    }

    private static void line(JdbcTemplate jdbc, long receipt, int no, long sku, String code, String category, int qty,
                             long amount, String coupon) {
        jdbc.update("""
                insert into receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity,
                                          unit_price_cents, amount_cents, coupon_code)
                values (?, ?, (select customer_id from receipt where id = ?), ?, ?, ?, ?, ?, ?, ?)""",
                receipt, no, receipt, sku, code, category, qty, amount / qty, amount, coupon);
    }

    // ---- a small rule vocabulary ----------------------------------------------------------------

    private static Value.Filter f(String dimension, String... values) {
        return new Value.Filter(dimension, false, List.of(values), S);
    }

    private static Value.Filter not(String dimension, String... values) {
        return new Value.Filter(dimension, true, List.of(values), S);
    }

    private static Value agg(String function, String argument, Window window, Value.Filter... filters) {
        return new Value.Aggregate(function, argument, window, List.of(filters), S);
    }

    private static Window all() {
        return new Window.AllTime(S);
    }

    private static Value n(String number) {
        return new Value.NumberLiteral(new BigDecimal(number), S);
    }

    private static Rule eq(Value left, Value right) {
        return new Rule.Compare(left, Rule.Operator.EQ, right, S);
    }

    private static Value field(String name) {
        return new Value.Field(name, S);
    }

    private static Value date(String iso) {
        return new Value.DateLiteral(LocalDate.parse(iso), S);
    }

    private List<Long> matches(Rule rule) {
        return checked.matches(rule);
    }

    static Stream<Arguments> annsAggregates() {
        Window days90 = new Window.Rolling(90, S);
        return Stream.of(
                Arguments.of("orders()", agg("orders", null, all()), "3"),
                Arguments.of("orders(90d)", agg("orders", null, days90), "2"),
                Arguments.of("orders(category = beauty) includes skincare", agg("orders", null, all(), f("category", "beauty")), "2"),
                Arguments.of("orders(category = skincare)", agg("orders", null, all(), f("category", "skincare")), "1"),
                Arguments.of("orders(product = SKU-3)", agg("orders", null, all(), f("product", "SKU-3")), "1"),
                Arguments.of("orders(coupon = true)", agg("orders", null, all(), f("coupon", "true")), "1"),
                Arguments.of("orders(store = SH-02)", agg("orders", null, all(), f("store", "SH-02")), "1"),
                Arguments.of("orders(store != SH-02)", agg("orders", null, all(), not("store", "SH-02")), "2"),
                Arguments.of("orders(channel = online)", agg("orders", null, all(), f("channel", "online")), "1"),
                Arguments.of("orders(payment in wechat_pay, cash)", agg("orders", null, all(), f("payment", "wechat_pay", "cash")), "2"),
                Arguments.of("orders(this_month)", agg("orders", null, new Window.Calendar("this_month", S)), "1"),
                Arguments.of("orders(last_month)", agg("orders", null, new Window.Calendar("last_month", S)), "1"),
                Arguments.of("orders(prev_3_months) = Feb..Apr", agg("orders", null, new Window.Calendar("prev_3_months", S)), "1"),
                Arguments.of("orders(last_week) = Jun 8..14", agg("orders", null, new Window.Calendar("last_week", S)), "1"),
                Arguments.of("orders(this_week)", agg("orders", null, new Window.Calendar("this_week", S)), "0"),
                Arguments.of("orders(this_year)", agg("orders", null, new Window.Calendar("this_year", S)), "3"),
                Arguments.of("orders(between Feb 1 and Feb 28)", agg("orders", null,
                        new Window.Between(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28), S)), "1"),
                Arguments.of("orders(around spring festival 7d)", agg("orders", null,
                        new Window.AroundHoliday("spring_festival", 7, S)), "1"),
                Arguments.of("spent() nets the refund", agg("spent", null, all()), "175"),
                Arguments.of("spent(category = skincare)", agg("spent", null, all(), f("category", "skincare")), "100"),
                Arguments.of("min_spent()", agg("min_spent", null, all()), "30"),
                Arguments.of("max_spent()", agg("max_spent", null, all()), "200"),
                Arguments.of("quantity()", agg("quantity", null, all()), "6"),
                Arguments.of("quantity(category = beauty)", agg("quantity", null, all(), f("category", "beauty")), "3"),
                Arguments.of("refunds()", agg("refunds", null, all()), "1"),
                Arguments.of("distinct(category)", agg("distinct", "category", all()), "2"),
                Arguments.of("distinct(product)", agg("distinct", "product", all()), "3"),
                Arguments.of("distinct(store)", agg("distinct", "store", all()), "2"),
                Arguments.of("distinct(channel)", agg("distinct", "channel", all()), "2"),
                Arguments.of("distinct(month)", agg("distinct", "month", all()), "3"),
                Arguments.of("events(visit)", agg("events", "visit", all()), "2"),
                Arguments.of("events(visit, 30d)", agg("events", "visit", new Window.Rolling(30, S)), "1"),
                Arguments.of("events(visit, store = SH-02)", agg("events", "visit", all(), f("store", "SH-02")), "1"),
                Arguments.of("events(page_view, product = SKU-1)", agg("events", "page_view", all(), f("product", "SKU-1")), "1"),
                Arguments.of("events(review) counts the one without stars", agg("events", "review", all()), "3"),
                Arguments.of("avg_rating() of the rated ones", agg("avg_rating", null, all()), "3.5"),
                Arguments.of("avg_rating(30d)", agg("avg_rating", null, new Window.Rolling(30, S)), "5"),
                Arguments.of("avg_rating(product = SKU-2)", agg("avg_rating", null, all(), f("product", "SKU-2")), "2"));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("annsAggregates")
    void anAggregateCountsAnnsReceiptsAsComputedByHand(String name, Value aggregate, String expected) {
        assertThat(matches(eq(aggregate, n(expected)))).contains(ANN);
    }

    @Test
    void avgSpentIsTheMeanOfAnnsSales() {
        assertThat(matches(new Rule.Compare(agg("avg_spent", null, all()), Rule.Operator.GT, n("91.66"), S))).contains(ANN);
        assertThat(matches(new Rule.Compare(agg("avg_spent", null, all()), Rule.Operator.LT, n("91.67"), S))).contains(ANN);
    }

    @Test
    void annsPurchasesByCategoryAndStoreAndHerInteractionsByTypeAreWhatTheRulesCount() {
        CustomerInsights ann = engine.metricsOf(ANN).orElseThrow();
        assertThat(ann.categories()).containsExactly(
                new CustomerInsights.SpendFigures("skincare", 1, 10000, LocalDate.of(2026, 6, 10), 5, 10000.0 / 17500),
                new CustomerInsights.SpendFigures("beauty", 1, 4500, LocalDate.of(2026, 5, 20), 26, 4500.0 / 17500),
                new CustomerInsights.SpendFigures(null, 1, 3000, LocalDate.of(2026, 2, 15), 120, 3000.0 / 17500));
        assertThat(ann.stores()).containsExactly(
                new CustomerInsights.SpendFigures("SH-01", 2, 13000, LocalDate.of(2026, 6, 10), 5, 13000.0 / 17500),
                new CustomerInsights.SpendFigures("SH-02", 1, 4500, LocalDate.of(2026, 5, 20), 26, 4500.0 / 17500));
        assertThat(ann.interactions()).containsExactly(new CustomerInsights.InteractionCount("visit", 2, 1),
                new CustomerInsights.InteractionCount("page_view", 1, 1), new CustomerInsights.InteractionCount("review", 3, 3));

        // The same figures as rules ask them (skincare is a leaf; a parent's filter would take its children in).
        assertThat(matches(eq(agg("orders", null, all(), f("category", "skincare")), n("1")))).contains(ANN);
        assertThat(matches(eq(agg("spent", null, all(), f("category", "skincare")), n("100")))).contains(ANN);
        for (CustomerInsights.SpendFigures store : ann.stores()) {
            assertThat(matches(eq(agg("orders", null, all(), f("store", store.code())), n(String.valueOf(store.orders())))))
                    .contains(ANN);
            assertThat(matches(eq(agg("spent", null, all(), f("store", store.code())),
                    n(java.math.BigDecimal.valueOf(store.spentCents(), 2).toPlainString())))).contains(ANN);
        }
        for (CustomerInsights.InteractionCount count : ann.interactions()) {
            assertThat(matches(eq(agg("events", count.type(), all()), n(String.valueOf(count.total()))))).contains(ANN);
            assertThat(matches(eq(agg("events", count.type(), new Window.Rolling(90, S)), n(String.valueOf(count.recent())))))
                    .contains(ANN);
        }
    }

    @Test
    void annsMetricsAreTheCataloguesDefinitions() {
        CustomerInsights ann = engine.metricsOf(ANN).orElseThrow();
        assertThat(ann.daysSinceLastPurchase()).isEqualTo(5);
        assertThat(ann.daysSinceFirstPurchase()).isEqualTo(120);
        assertThat(ann.tenureDays()).isEqualTo(365);
        assertThat(ann.frequency()).isEqualTo(3);
        assertThat(ann.monetaryCents()).isEqualTo(17500);
        assertThat(ann.averageOrderCents()).isEqualTo(9167);
        assertThat(ann.firstPurchaseDate()).isEqualTo(LocalDate.of(2026, 2, 15));
        assertThat(ann.lastPurchaseDate()).isEqualTo(LocalDate.of(2026, 6, 10));
        assertThat(ann.repurchaseCycleDays()).as("median of 94 and 21 days").isEqualTo(57.5);
        assertThat(ann.nextExpectedPurchaseDate()).isEqualTo(LocalDate.of(2026, 8, 7));
        assertThat(ann.discountRate()).isEqualTo(500.0 / 28000);
        assertThat(ann.couponRedemptionRate()).isEqualTo(1.0 / 3);
        assertThat(ann.returnsRate()).isEqualTo(1.0 / 3);
        assertThat(ann.activeMonths()).isEqualTo(3);
        assertThat(ann.preferredPayment()).isEqualTo("wechat_pay");
        assertThat(ann.preferredChannel()).isEqualTo("store");
        assertThat(ann.preferredStore()).isEqualTo("SH-01");
        assertThat(ann.holidayShare()).as("the sale two days before spring festival, in its 14-day run-up").isEqualTo(3000.0 / 17500);
    }

    @Test
    void fieldsInRulesHaveTheSameValues() {
        assertThat(matches(eq(field("days_since_last_purchase"), n("5")))).containsExactly(ANN);
        assertThat(matches(eq(field("recency"), n("5")))).containsExactly(ANN);
        assertThat(matches(eq(field("frequency"), n("3")))).containsExactly(ANN);
        assertThat(matches(eq(field("monetary"), n("175")))).containsExactly(ANN);
        assertThat(matches(eq(field("repurchase_cycle_days"), n("57.5")))).containsExactly(ANN);
        assertThat(matches(eq(field("next_expected_purchase_date"), date("2026-08-07")))).containsExactly(ANN);
        assertThat(matches(eq(field("first_purchase_date"), date("2026-02-15")))).containsExactly(ANN);
        assertThat(matches(eq(field("last_purchase_date"), date("2026-06-10")))).containsExactly(ANN);
        assertThat(matches(eq(field("active_months"), n("3")))).containsExactly(ANN);
        assertThat(matches(eq(field("tenure_days"), n("14")))).containsExactly(BOB);
        assertThat(matches(eq(field("registered_date"), date("2025-06-15")))).containsExactly(ANN);
        assertThat(matches(eq(field("preferred_store"), new Value.TextLiteral("SH-01", S)))).containsExactly(ANN);
        assertThat(matches(new Rule.Compare(field("returns_rate"), Rule.Operator.GT, n("0.3"), S))).containsExactly(ANN);
    }

    @Test
    void aCustomerWithoutPurchasesHasNoRecencyAndNotOfItHolds() {
        Rule recent = new Rule.Compare(field("days_since_last_purchase"), Rule.Operator.LT, n("1000"), S);
        assertThat(matches(recent)).doesNotContain(BOB);
        assertThat(matches(new Rule.Not(recent, S))).contains(BOB).doesNotContain(ANN);
        assertThat(matches(eq(agg("orders", null, all()), n("0")))).containsExactly(BOB);
    }

    @Test
    void profileFieldsBirthdaysAndCustomFields() {
        assertThat(matches(eq(field("gender"), new Value.TextLiteral("female", S)))).containsExactly(ANN);
        assertThat(matches(new Rule.In(field("home_store"), List.of(new Value.TextLiteral("SH-02", S)), S)))
                .containsExactly(BOB);
        assertThat(matches(eq(field("registration_store"), new Value.TextLiteral("SH-02", S)))).containsExactly(ANN);
        assertThat(matches(eq(field("registration_channel"), new Value.TextLiteral("store", S)))).containsExactly(ANN);
        assertThat(matches(eq(field("birth_month"), n("6")))).containsExactly(ANN);
        assertThat(matches(new Rule.Within(new Value.Field("birthday", S), 7, S))).as("June 18 is 3 days away")
                .containsExactly(ANN);
        assertThat(matches(new Rule.Within(new Value.Field("birthday", S), 3, S))).as("15, 16, 17 only").isEmpty();
        assertThat(matches(eq(field("vip_level"), new Value.TextLiteral("A", S)))).containsExactly(ANN);
        assertThat(matches(new Rule.Not(eq(field("vip_level"), new Value.TextLiteral("A", S)), S))).doesNotContain(ANN)
                .contains(BOB);
    }

    @Test
    void rfmScoresAndNamedSegmentsOverTheFiveBuyers() {
        assertThat(engine.metricsOf(ANN).orElseThrow()).extracting(CustomerInsights::rScore, CustomerInsights::fScore,
                CustomerInsights::mScore, CustomerInsights::rfmSegment).containsExactly(5, 3, 5, "Potential loyalist");
        assertThat(engine.metricsOf(7).orElseThrow().rfmSegment()).isEqualTo("Champions");
        assertThat(engine.metricsOf(6).orElseThrow().rfmSegment()).isEqualTo("Loyal");
        assertThat(engine.metricsOf(5).orElseThrow().rfmSegment()).isEqualTo("Hibernating");
        assertThat(engine.metricsOf(4).orElseThrow().rfmSegment()).isEqualTo("Lost");
        assertThat(engine.metricsOf(BOB).orElseThrow().rScore()).as("no purchases, no score").isNull();
        assertThat(matches(eq(field("rfm_segment"), new Value.TextLiteral("Champions", S)))).containsExactly(7L);
        assertThat(matches(eq(field("f_score"), n("3")))).containsExactly(ANN);
    }

    @Test
    void aMergedAwayCustomerIsNotInTheIndexAndAnswersForTheSurvivor() {
        assertThat(matches(eq(field("frequency"), n("0")))).containsExactly(BOB);
        assertThat(engine.metricsOf(3).orElseThrow().customerId()).isEqualTo(ANN);
    }

    @Test
    void unknownNamesAreReferenceErrors() {
        assertThatThrownBy(() -> engine.evaluate(eq(field("gone"), new Value.TextLiteral("x", S)), Memberships.NONE))
                .isInstanceOf(RuleReferenceException.class).hasMessageContaining("gone");
        assertThatThrownBy(() -> engine.evaluate(new Rule.HasTag("nobody", S), Memberships.NONE))
                .isInstanceOf(RuleReferenceException.class);
        assertThatThrownBy(() -> engine.evaluate(new Rule.InSegment("nothing", S), Memberships.NONE))
                .isInstanceOf(RuleReferenceException.class);
        assertThatThrownBy(() -> engine.evaluate(eq(agg("orders", null, new Window.AroundHoliday("no_such_day", 3, S)),
                n("0")), Memberships.NONE)).isInstanceOf(RuleReferenceException.class);
    }

    @Test
    void analyticsCountMonthlyRepurchaseAndCohorts() {
        assertThat(engine.repurchaseRate()).extracting(m -> m.month().toString() + ":" + m.buyers() + "/" + m.repeatBuyers())
                .containsExactly("2025-01:4/0", "2026-02:1/0", "2026-05:1/1", "2026-06:1/1");
        assertThat(engine.cohorts()).extracting(c -> c.cohort() + "+" + c.monthsLater() + "=" + c.customers())
                .containsExactly("2025-01+0=4", "2026-02+0=1", "2026-02+3=1", "2026-02+4=1");
    }

    @Test
    void aCustomFieldDefinedAMomentAgoCanBeUsedAtOnce() {
        assertThat(checked.matches(RuleText.parse("vip_level = \"A\""))).containsExactly(ANN); // the fields are read now
        jdbc.update("insert into custom_field (key, label_zh, label_en, type, created_at) values "
                + "('shoe_size', 's', 's', 'text', now())");

        assertThat(checked.matches(RuleText.parse("shoe_size = \"42\""))).isEmpty();
    }
}
