package app.regulars.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreDraft;
import com.microsoft.playwright.Locator;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * The front page as a store manager and as the owner sees it. All tests share one database, so the
 * exact figures are checked through a manager scoped to this test's own stores.
 */
class OverviewPageTest extends BrowserTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired Catalog catalog;
    @Autowired Users users;

    @Test
    void aStoreManagerSeesTheLast30DaysOfTheirStoresAgainstThe30Before() {
        String run = run();
        String nanjing = "OA" + run;
        String xujiahui = "OB" + run;
        String elsewhere = "OC" + run;
        long a = store(nanjing, "南京西路店");
        long b = store(xujiahui, "徐家汇店");
        store(elsewhere, "别家门店");
        String source = "pos-" + run;
        String regular = phone();
        // Nanjing Rd: a regular twice this month, someone last month, an anonymous sale yesterday.
        post(sale(source, "A1", nanjing, daysAgo(2), regular, 1, "100.00"));
        post(sale(source, "A2", nanjing, daysAgo(10), regular, 1, "50.00"));
        post(sale(source, "A3", nanjing, daysAgo(40), phone(), 1, "80.00"));
        post(sale(source, "A4", nanjing, daysAgo(1), null, 1, "30.00"));
        // Xujiahui: one big sale, a third of it refunded two days later.
        post(sale(source, "B1", xujiahui, daysAgo(5), phone(), 3, "100.00"));
        post("""
                {"source":"%s","receiptNo":"B2","kind":"refund","originalReceiptNo":"B1","reasonCode":"size",
                 "storeCode":"%s","purchasedAt":"%s","lines":[{"sku":"SKU-O","quantity":1,"unitPrice":"100.00"}]}"""
                .formatted(source, xujiahui, daysAgo(3)));
        // Not theirs: must not count.
        post(sale(source, "C1", elsewhere, daysAgo(1), phone(), 1, "999.00"));
        String manager = "manager-" + run.toLowerCase();
        users.create(manager, "manager-password", Role.STORE_MANAGER, Set.of(a, b));

        signIn(manager, "manager-password");
        page.navigate(url("/"));

        assertThat(page.locator("h1")).hasText("经营概况");
        assertThat(page.locator(".overview-head")).containsText(nanjing + " 南京西路店");
        assertThat(page.locator(".overview-head")).not().containsText(elsewhere);
        assertThat(value("customers")).hasText("3");
        assertThat(card("customers")).containsText("有消费记录的 3 位");
        assertThat(value("repeat")).hasText("1 33.3%");
        assertThat(value("receipts")).hasText("4");
        assertThat(card("receipts")).containsText("▲ +300.0%");
        assertThat(card("receipts")).containsText("前 30 天 1");
        assertThat(value("revenue")).hasText("¥480");
        assertThat(card("revenue")).containsText("+500.0%");
        assertThat(card("revenue")).containsText("客单价 ¥120");
        assertThat(value("refunds")).hasText("¥100");
        assertThat(card("refunds")).containsText("前 30 天无");
        assertThat(card("refunds")).containsText("退款单 1 笔");

        assertThat(page.locator("#daily-chart canvas")).isVisible();
        assertThat(page.locator("#store-chart canvas")).isVisible();
        assertThat(chartData("daily-chart", "String(o.series[0].data.length)")).isEqualTo("90");
        assertThat(chartData("daily-chart", "String(o.series[0].data.reduce((s, v) => s + Number(v), 0))")).isEqualTo("560");
        assertThat(chartData("daily-chart", "String(o.series[1].data.reduce((s, v) => s + Number(v), 0))")).isEqualTo("5");
        assertThat(chartData("store-chart", "o.yAxis[0].data")).isEqualTo(List.of("徐家汇店", "南京西路店"));
        assertThat(chartData("store-chart", "o.series[0].data.map(v => String(Number(v)))")).isEqualTo(List.of("300", "180"));
    }

    @Test
    void theOwnerSeesTheWholeChainInEitherLanguage() {
        String run = run();
        String code = "OO" + run;
        store(code, "陆家嘴店" + run);
        // Big enough to be among the chart's top stores whatever other tests sold in the shared database.
        post(sale("pos-" + run, "O1", code, daysAgo(3), phone(), 2, "8888888.00"));

        signIn();
        page.navigate(url("/"));

        assertThat(page.locator(".overview-head")).not().containsText("仅含您负责的门店");
        assertThat(page.locator(".kpi")).hasCount(5);
        assertThat(Long.parseLong(value("receipts").innerText().replace(",", ""))).isPositive();
        assertThat(page.locator("#daily-chart canvas")).isVisible();
        assertThat(chartData("store-chart", "o.yAxis[0].data.includes('陆家嘴店" + run + "')")).isEqualTo(true);

        page.navigate(url("/?lang=en"));
        assertThat(page.locator("h1")).hasText("Overview");
        assertThat(card("repeat")).containsText("Repeat customers");
        assertThat(page.locator("#store-chart canvas")).isVisible();
        page.navigate(url("/?lang=zh-CN"));
    }

    @Test
    void withNothingToShowTheOverviewSaysWhereToStart() {
        String run = run();
        long empty = store("OE" + run, "新开门店");
        String clerk = "clerk-" + run.toLowerCase();
        users.create(clerk, "clerk-password", Role.CLERK, Set.of(empty));

        signIn(clerk, "clerk-password");
        page.navigate(url("/"));

        assertThat(page.locator(".overview-empty")).containsText("还没有数据");
        assertThat(page.locator(".overview-empty a[href='/imports']")).isVisible();
        assertThat(page.locator(".kpi")).hasCount(0);
        assertThat(page.locator("canvas")).hasCount(0);
    }

    private Locator card(String kpi) {
        return page.locator("#kpi-" + kpi);
    }

    private Locator value(String kpi) {
        return page.locator("#kpi-" + kpi + " .value");
    }

    /** Evaluates {@code expression} on the drawn chart's option {@code o}, as ECharts holds it: what the canvas shows. */
    private Object chartData(String chart, String expression) {
        return page.evaluate("() => { const o = echarts.getInstanceByDom(document.getElementById('" + chart
                + "')).getOption(); return " + expression + "; }");
    }

    private long store(String code, String name) {
        catalog.upsertStore(new StoreDraft(code, name, "华东", "上海", null, null, null));
        return catalog.storeByCode(code).orElseThrow().id();
    }

    private void post(String receipt) {
        ResponseEntity<String> response = apiPost("/api/v1/receipts", receipt);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
    }

    private static String sale(String source, String receiptNo, String store, String at, String phone, int quantity,
                               String price) {
        return """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"%s",%s
                 "lines":[{"sku":"SKU-O","quantity":%d,"unitPrice":"%s"}]}"""
                .formatted(source, receiptNo, store, at,
                        phone == null ? "" : "\"customer\":{\"phone\":\"" + phone + "\"},", quantity, price);
    }

    /** Noon in Shanghai, some days back: far from midnight, so the day cannot slip. */
    private static String daysAgo(int days) {
        return LocalDate.now(SHANGHAI).minusDays(days).atTime(LocalTime.NOON).atZone(SHANGHAI).toOffsetDateTime()
                .toString();
    }

    private static String phone() {
        return "139" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    private static String run() {
        return Long.toString(System.nanoTime(), 36).toUpperCase();
    }
}
