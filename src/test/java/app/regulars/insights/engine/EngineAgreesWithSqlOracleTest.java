package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.insights.Memberships;
import app.regulars.insights.rule.Rule;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The engine and the SQL oracle find the same customers for random rules over the whole catalogue,
 * on a seeded chain in a database of this test's own (stores in three timezones, merges, refunds). Part
 * of the chain's history arrives through the event feed after the index was built, as it does in a
 * running shop, so the index answers from rows it built and rows it was sent alike.
 */
class EngineAgreesWithSqlOracleTest {

    private static IndexedRuleEngine engine;
    private static SqlOracle oracle;
    private static Memberships memberships;
    private static DataSource dataSource;

    @BeforeContainer
    static void chain() {
        dataSource = PrivateDatabase.fresh();
        ShopData data = new ShopData(dataSource, 20261115L).load(300);
        engine = new IndexedRuleEngine(dataSource, ZoneId.of("Asia/Shanghai"), Clock.fixed(ShopData.NOW, ZoneOffset.UTC));
        engine.start();
        engine.index();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long newcomer = data.arrive(150, customer -> await().atMost(Duration.ofSeconds(30)).until(() ->
                engine.metricsOf(customer).map(m -> m.frequency()).orElse(0).equals(jdbc.queryForObject(
                        "select count(*)::int from receipt where customer_id = ? and kind = 'sale'", Integer.class, customer))));
        await().atMost(Duration.ofSeconds(30)).until(() -> StreamSupport.stream(engine.evaluate(
                app.regulars.insights.rule.RuleText.parse("orders() >= 1"), Memberships.NONE).ordinals().spliterator(), false)
                .anyMatch(o -> engine.customerIdOf(o) == newcomer));
        int customers = engine.index().size;
        Random random = new Random(7);
        RoaringBitmap vip = new RoaringBitmap();
        RoaringBitmap regulars = new RoaringBitmap();
        for (int c = 0; c < customers; c++) {
            if (random.nextInt(4) == 0) {
                vip.add(c);
            }
            if (random.nextInt(3) == 0) {
                regulars.add(c);
            }
        }
        memberships = new Memberships() {
            @Override
            public RoaringBitmap tag(String name) {
                return name.equals("vip") ? vip : name.equals("staff") ? new RoaringBitmap() : null;
            }

            @Override
            public RoaringBitmap segment(String name) {
                return name.equals("regulars") ? regulars : null;
            }
        };
        oracle = new SqlOracle(new JdbcTemplate(dataSource), ZoneId.of("Asia/Shanghai"), engine::customerIdOf);
    }

    private static long oracleNanos;
    private static long engineNanos;

    @AfterContainer
    static void stop() {
        System.out.printf("oracle %d ms, engine %d ms%n", oracleNanos / 1_000_000, engineNanos / 1_000_000);
        if (engine != null) { // null when the set-up failed: let its own error show, not this one
            engine.stop();
        }
    }

    @Provide
    Arbitrary<Rule> rules() {
        return Rules.rules();
    }

    /** The loyalty facts at their edges (today's last valid day, a lot expiring tonight) on the random chain. */
    @Example
    void theLoyaltyFactsAgreeOnEveryCustomer() {
        for (String text : List.of("coupons_unused = 0", "coupons_unused = 1", "coupons_unused >= 2",
                "points_expiring(1d) > 0", "points_expiring(2d) > 0", "points_expiring(this_week) > 100",
                "points_expiring() >= 500", "coupon_redeemed(\"生日券\", 30d) >= 1", "coupon_redeemed(\"满300减50\") = 1",
                "coupon_redeemed(\"新人券\", last_month) > 0", "tier = \"basic\"", "tier != \"gold\"",
                "points_balance > 1500")) {
            theEngineAndTheSqlOracleFindTheSameCustomers(app.regulars.insights.rule.RuleText.parse(text));
            assertThat(oracle.customers(app.regulars.insights.rule.RuleText.parse(text), memberships, ShopData.NOW))
                    .as("%s is neither everyone nor no one on this chain", text).isNotEmpty().hasSizeLessThan(290);
        }
    }

    /**
     * What each customer's lines add up to, at every threshold: a line the index lost or counted twice (as
     * when a customer's receipts move among the newest rows) changes one of these for that customer.
     */
    @Example
    void everyCustomersLinesAgree() {
        for (int k = 1; k <= 15; k++) {
            for (String text : List.of("quantity() >= " + k, "distinct(product) >= " + k,
                    "orders(category = \"beauty\") >= " + k, "spent(category = \"snacks\", coupon = false) >= " + 10 * k)) {
                theEngineAndTheSqlOracleFindTheSameCustomers(app.regulars.insights.rule.RuleText.parse(text));
            }
        }
    }

    /** Each receipt's local month (its store's zone) and its customer as merges left them. */
    private static final String MONTHS = """
            with r as (
                select coalesce(c.merged_into, c.id) as customer, r.kind, r.total_cents,
                       date_trunc('month', r.purchased_at at time zone s.timezone)::date as month
                from receipt r join store s on s.id = r.store_id join customer c on c.id = r.customer_id
                where %s),
            f as (select customer, min(month) as cohort from r where kind = 'sale' group by customer)
            select to_char(f.cohort, 'YYYY-MM') as cohort,
                   ((extract(year from r.month) - extract(year from f.cohort)) * 12
                    + extract(month from r.month) - extract(month from f.cohort))::int as k,
                   count(distinct r.customer) filter (where r.kind = 'sale') as buyers,
                   sum(case when r.kind = 'sale' then r.total_cents else -r.total_cents end) as net
            from r join f using (customer) where r.month >= f.cohort group by 1, 2 order by 1, 2""";

    /**
     * The cohort matrix and what each cohort spent month by month, as an analyst would count them in SQL:
     * over the chain, and over one store's receipts (a store manager's view).
     */
    @Example
    void theCohortsAndWhatTheySpentAgreeWithPlainSql() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(cells(engine.cohorts(), engine.cohortValues())).isEqualTo(sqlCells(jdbc, "true"));
        long store = jdbc.queryForObject("select store_id from receipt group by 1 order by count(*) desc limit 1", Long.class);
        assertThat(cells(engine.cohorts(java.util.Set.of(store)), engine.cohortValues(java.util.Set.of(store))))
                .isEqualTo(sqlCells(jdbc, "r.store_id = " + store));
        assertThat(sqlCells(jdbc, "true").get(1)).as("refunds and later months are in the chain").hasSizeGreaterThan(20)
                .anyMatch(cell -> !cell.contains("+0="));
    }

    private static List<List<String>> cells(List<app.regulars.insights.Insights.CohortCell> cohorts,
                                            List<app.regulars.insights.Insights.CohortValue> values) {
        return List.of(cohorts.stream().map(c -> c.cohort() + "+" + c.monthsLater() + "=" + c.customers()).toList(),
                values.stream().map(c -> c.cohort() + "+" + c.monthsLater() + "=" + c.netCents()).toList());
    }

    private static List<List<String>> sqlCells(JdbcTemplate jdbc, String where) {
        String months = MONTHS.formatted(where);
        return List.of(jdbc.query("select * from (" + months + ") t where buyers > 0",
                        (rs, i) -> rs.getString("cohort") + "+" + rs.getInt("k") + "=" + rs.getLong("buyers")),
                jdbc.query("select * from (" + months + ") t where net <> 0",
                        (rs, i) -> rs.getString("cohort") + "+" + rs.getInt("k") + "=" + rs.getLong("net")));
    }

    @Property(tries = 100, seed = "20261129", edgeCases = EdgeCasesMode.NONE)
    void theEngineAndTheSqlOracleFindTheSameCustomers(@ForAll("rules") Rule rule) {
        long t0 = System.nanoTime();
        List<Long> expected = oracle.customers(rule, memberships, ShopData.NOW);
        long t1 = System.nanoTime();
        RoaringBitmap matched = engine.evaluate(rule, memberships).ordinals();
        oracleNanos += t1 - t0;
        engineNanos += System.nanoTime() - t1;
        List<Long> actual = StreamSupport.stream(matched.spliterator(), false).map(engine::customerIdOf).sorted().toList();
        List<Long> onlyEngine = actual.stream().filter(id -> !expected.contains(id)).toList();
        List<Long> onlyOracle = expected.stream().filter(id -> !actual.contains(id)).toList();
        assertThat(onlyEngine).as("rule %s: only the engine found them (the oracle missed)", rule).isEmpty();
        assertThat(onlyOracle).as("rule %s: only the oracle found them", rule).isEmpty();
    }
}
