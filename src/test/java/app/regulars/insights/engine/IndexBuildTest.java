package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.rule.RuleText;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The build reads receipt lines on two connections (each half of the table's pages), each coding
 * categories on its own, and places them under their receipts on two threads. Here the halves meet
 * the categories in opposite orders and the last receipts carry values too wide for an int, so a line
 * coded, placed or spilled by the wrong half would change an answer. Every answer is checked against
 * the SQL oracle as well. Today is 2026-06-15 in Shanghai.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexBuildTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");
    private static final int CUSTOMERS = 200;
    private static final String[] CATEGORIES = {"skincare", "shoes", "bags"};

    private CheckedEngine checked;
    private DataSource dataSource;

    @BeforeAll
    void chain() {
        dataSource = PrivateDatabase.fresh();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        jdbc.update("""
                insert into customer (id, registered_at, updated_at)
                select g, '2025-01-01T10:00:00+08:00', now() from generate_series(1, ?) g""", CUSTOMERS);
        // Three rounds of receipts in time order, as intake writes them: each customer's rows are spread
        // over the whole table. The first round lists skincare, shoes, bags; the later ones bags, shoes,
        // skincare: the half that starts mid-table meets the categories in the opposite order.
        long receipt = 0;
        for (int round = 0; round < 3; round++) {
            for (int customer = 1; customer <= CUSTOMERS; customer++) {
                receipt++;
                String at = "2026-0" + (3 + round) + "-" + (10 + customer % 15) + "T10:00:00+08:00";
                jdbc.update("""
                        insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                             total_cents)
                        values (?, 'pos', ?, 'sale', ?, 1, ?::timestamptz, 'store', ?)""",
                        receipt, "R" + receipt, customer, at, 3 * 1_000L * customer);
                for (int line = 0; line < 3; line++) {
                    String category = CATEGORIES[round == 0 ? line : 2 - line];
                    line(jdbc, receipt, line + 1, customer, category, 1 + line, 1_000L * customer);
                }
            }
        }
        // Customer 7's last receipt: 30 million yuan of bags and 40,000 pairs of shoes.
        receipt++;
        jdbc.update("""
                insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel, total_cents)
                values (?, 'pos', ?, 'sale', 7, 1, '2026-06-10T10:00:00+08:00', 'store', 3000000000)""", receipt, "R" + receipt);
        line(jdbc, receipt, 1, 7, "bags", 1, 3_000_000_000L);
        line(jdbc, receipt, 2, 7, "shoes", 40_000, 0);
        jdbc.execute("analyze receipt_line"); // the page count the build halves the table by
        assertThat(jdbc.queryForObject("select relpages from pg_class where relname = 'receipt_line'", Integer.class))
                .as("the lines span pages enough for two halves").isGreaterThan(4);
        checked = new CheckedEngine(dataSource, NOW);
    }

    private static void line(JdbcTemplate jdbc, long receipt, int lineNo, long customer, String category, int quantity,
                             long cents) {
        jdbc.update("""
                insert into receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity,
                                          unit_price_cents, amount_cents)
                values (?, ?, ?, 1, 'SKU-1', ?, ?, 0, ?)""", receipt, lineNo, customer, category, quantity, cents);
    }

    @Test
    void aBuildCountsTheRowsItReadSoTheConsoleCanShowHowFarItIs() {
        IndexLoader loader = new IndexLoader(dataSource, java.time.ZoneId.of("Asia/Shanghai"));
        assertThat(loader.rowsRead()).isZero();
        loader.load();
        // 200 customers, 601 receipts and 1,802 lines; the estimate comes from the table statistics.
        assertThat(loader.rowsRead()).isEqualTo(200 + 601 + 1_802);
        assertThat(loader.rowsExpected()).isGreaterThanOrEqualTo(200 + 1_802);
        assertThat(loader.arranged()).isEqualTo(IndexLoader.ARRANGE_STEPS);
        // Reading is the bar's first 70%, laying the rows out by customer the rest up to 99%.
        assertThat(figures(700, 2_800, 0).buildPercent()).isEqualTo(17);
        assertThat(figures(3_000, 2_800, 0).buildPercent()).as("an estimate passed is not done").isEqualTo(70);
        assertThat(figures(2_700, 2_800, 2).buildPercent()).as("read, two steps of five laid out").isEqualTo(81);
        assertThat(figures(2_700, 2_800, IndexLoader.ARRANGE_STEPS).buildPercent()).isEqualTo(99);
        assertThat(figures(2_700, 2_800, 2).arranging()).isTrue();
    }

    private static app.regulars.insights.Insights.IndexFigures figures(long read, long expected, int arranged) {
        return new app.regulars.insights.Insights.IndexFigures(false, 0, 0, 0, 0, 0, 0, read, expected, arranged,
                IndexLoader.ARRANGE_STEPS);
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    @Test
    void everyLineCountsUnderItsOwnReceiptAndCategory() {
        for (String category : CATEGORIES) {
            assertThat(checked.matches(RuleText.parse("orders(365d, category = \"" + category + "\") >= 3")))
                    .as(category).isNotEmpty();
            assertThat(checked.matches(RuleText.parse("spent(365d, category = \"" + category + "\") > 300")))
                    .as(category).isNotEmpty();
        }
        // Units: 1 + 3 + 3 of skincare, 2 + 2 + 2 of shoes, 3 + 1 + 1 of bags (customer 7 has more of both).
        assertThat(checked.matches(RuleText.parse("quantity(365d, category = \"skincare\") = 7"))).hasSize(CUSTOMERS);
        assertThat(checked.matches(RuleText.parse("quantity(365d, category = \"shoes\") = 6"))).hasSize(CUSTOMERS - 1);
        assertThat(checked.matches(RuleText.parse("quantity(365d, category = \"bags\") = 5"))).hasSize(CUSTOMERS - 1);
        assertThat(checked.matches(RuleText.parse("distinct(category, 365d) = 3"))).hasSize(CUSTOMERS);
    }

    @Test
    void aLineTooWideForAnIntIsSpentInFull() {
        assertThat(checked.matches(RuleText.parse("spent(7d, category = \"bags\") = 30000000"))).containsExactly(7L);
    }

    @Test
    void aQuantityTooWideForTheLineIsCountedInFull() {
        assertThat(checked.matches(RuleText.parse("quantity(7d, category = \"shoes\") = 40000"))).containsExactly(7L);
    }
}
