package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.access.ApiKeys;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import app.regulars.insights.Insights;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RepurchasePageTest extends BrowserTest {

    @Autowired Catalog catalog;
    @Autowired Insights insights;
    @Autowired ObjectMapper json;
    @Autowired Users users;
    @Autowired ApiKeys apiKeys;

    @Test
    void anOwnerSeesRepurchaseRateCohortsAndRfmAsCharts() {
        aCustomerWhoCameBack();
        signIn();
        page.navigate(url("/analytics"));

        assertThat(page.locator("h1").textContent()).isEqualTo("复购分析");
        for (String chart : new String[] {"#repurchase-chart", "#rfm-chart", "#cohort-chart", "#ltv-chart"}) {
            assertThat(page.locator(chart + " canvas").count()).as(chart + " is drawn").isPositive();
        }
        assertThat(page.locator("main").textContent()).contains("月度复购率").contains("首购月份留存")
                .contains("顾客终身价值");
        // A page left waiting for the first build polls its progress; a ready index tells it to reload.
        assertThat(page.locator("#index-building").count()).isZero();
        com.microsoft.playwright.Response progress = page.navigate(url("/analytics/index-progress"));
        assertThat(progress.status()).isEqualTo(200);
        assertThat(progress.headers()).containsEntry("hx-refresh", "true");
    }

    @Test
    void theCustomerPageShowsWhatTheyBuyWhereAndWhenACategorysCycleHasComeRound() throws Exception {
        String store = "MX-" + Long.toString(System.nanoTime(), 36);
        StoreFixtures.create(catalog, store);
        String category = "face-" + Long.toString(System.nanoTime(), 36);
        catalog.upsertCategory(new app.regulars.catalog.CategoryDraft(category, "面霜", null, 45, null));
        catalog.upsertProducts(java.util.List.of(new app.regulars.catalog.ProductDraft(category + "-1", "保湿霜", category,
                null, 30000L, true)));
        String phone = "137" + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        String body = """
                {"source":"mix-test","receiptNo":"%s-%s","storeCode":"%s","purchasedAt":"%sT12:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"%s","quantity":1,"unitPrice":"%s"}]}""";
        var first = apiPost("/api/v1/receipts", body.formatted(store, 1, store, today.minusDays(50), phone, category + "-1", "300.00"));
        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(201);
        long customer = json.readTree(apiPost("/api/v1/receipts", body.formatted(store, 2, store, today.minusDays(3), phone,
                "SKU-A", "100.00")).getBody()).path("customerId").asLong();
        apiPost("/api/v1/events", """
                {"events":[{"source":"mix-test","externalId":"%s-v","customer":{"phone":"%s"},"type":"visit",
                  "occurredAt":"%sT10:00:00+08:00","storeCode":"%s"}]}""".formatted(store, phone, today.minusDays(2), store));
        await().atMost(Duration.ofSeconds(20)).until(() -> insights.metricsOf(customer)
                .map(m -> m.frequency() == 2 && !m.interactions().isEmpty()).orElse(false));

        signIn();
        page.navigate(url("/customers/" + customer));
        page.locator("#insight-categories").waitFor();
        com.microsoft.playwright.Locator face = page.locator("#insight-categories tbody tr").first();
        assertThat(face.textContent()).contains("面霜").contains("¥300.00").contains("75.0%")
                .contains(today.minusDays(50).toString()).contains("已 50 天未买，复购周期 45 天");
        assertThat(page.locator("#insight-categories tbody tr").nth(1).textContent()).contains("未分类").contains("25.0%");
        assertThat(page.locator("#insight-stores tbody tr").textContent()).contains("Store " + store).contains("¥400.00")
                .contains("100.0%");
        assertThat(page.locator("#insight-interactions").textContent()).contains("到店 1（近 90 天 1）");
        page.locator("#insight-categories").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(java.nio.file.Path.of("target", "screenshots", "customer-mix.png")));

        page.navigate(url("/customers/" + customer + "?lang=en"));
        page.locator("#insight-categories").waitFor();
        assertThat(page.locator("#insight-categories tbody tr").first().textContent())
                .contains("Not bought for 50 days; repurchase cycle 45 days");
        assertThat(page.locator("#insight-interactions").textContent()).contains("(1 in 90 days)");
        page.navigate(url("/customers/" + customer + "?lang=zh-CN"));
    }

    @Test
    void anOwnerNarrowsTheChartsToOneStoreAndBackToTheChain() {
        long customer = aCustomerWhoCameBack();
        String code = insights.metricsOf(customer).orElseThrow().preferredStore();
        long store = catalog.storeByCode(code).orElseThrow().id();
        signIn();
        page.navigate(url("/analytics"));
        assertThat(page.locator("#analytics-scope").count()).isZero();
        page.selectOption("#analytics-store", String.valueOf(store));
        page.waitForURL(java.util.regex.Pattern.compile(".*store=" + store + ".*"));
        assertThat(page.locator("#analytics-scope").textContent()).contains("门店 " + code + " 的数据");
        // The store's only customer bought 60 and 30 days before yesterday and yesterday: those months alone.
        LocalDate last = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(1);
        String expected = java.util.stream.Stream.of(last.minusDays(60), last.minusDays(30), last)
                .map(d -> "\"" + java.time.YearMonth.from(d) + "\"").distinct().collect(java.util.stream.Collectors.joining(","));
        java.util.regex.Matcher months = java.util.regex.Pattern.compile("\"months\":\\[([^\\]]*)]").matcher(page.content());
        assertThat(months.find()).as("the charts' months are in the page").isTrue();
        assertThat(months.group(1)).isEqualTo(expected);
        for (String chart : new String[] {"#repurchase-chart", "#cohort-chart", "#ltv-chart"}) {
            assertThat(page.locator(chart + " canvas").count()).as(chart + " is drawn").isPositive();
        }
        page.selectOption("#analytics-store", "");
        page.waitForURL(java.util.regex.Pattern.compile(".*/analytics\\?store=$"));
        assertThat(page.locator("#analytics-scope").count()).isZero();
    }

    @Test
    void theCustomerPageShowsTheirSegmentAndRepurchaseCycle() {
        long customer = aCustomerWhoCameBack();
        signIn();
        page.navigate(url("/customers/" + customer));

        page.locator("#insight-cycle").waitFor();
        assertThat(page.locator("#insight-cycle .value").textContent()).isEqualTo("30 天");
        assertThat(page.locator("#insight-frequency .value").textContent()).isEqualTo("3");
        assertThat(page.locator("#insight-rfm .value").textContent()).containsPattern("R[1-5] F[1-5] M[1-5]");
        assertThat(page.locator("#insight-preferred .value").textContent()).as("the store by its name, as the timeline")
                .startsWith("Store AN-").endsWith(" / 门店 / —");
        assertThat(page.locator("#insight-next .overdue").count()).as("not yet due").isZero();
    }

    @Test
    void theCustomerPageSaysHowLateAnOverdueNextPurchaseIs() {
        long customer = aCustomerWhoCameBack(50);
        signIn();
        page.navigate(url("/customers/" + customer));

        page.locator("#insight-next").waitFor();
        assertThat(page.locator("#insight-next .value").textContent())
                .isEqualTo(LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(20).toString());
        assertThat(page.locator("#insight-next .overdue").textContent()).isEqualTo("已逾期 20 天");
    }

    @Test
    void aStoreManagerSeesRepurchaseAndCohortsOfTheirStoresOnly() throws Exception {
        long mine = StoreFixtures.create(catalog, "AM-" + Long.toString(System.nanoTime(), 36)).id();
        String mineCode = catalog.store(mine).orElseThrow().code();
        String other = "AO-" + Long.toString(System.nanoTime(), 36);
        StoreFixtures.create(catalog, other);
        String phone = "137" + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
        // First at the other store in February, then twice at mine: at mine, March is a first purchase.
        long customer = sale(other, phone, "2025-02-10");
        sale(mineCode, phone, "2025-03-10");
        sale(mineCode, phone, "2025-04-10");
        await().atMost(Duration.ofSeconds(20)).until(() -> insights.metricsOf(customer)
                .map(m -> m.frequency() == 3).orElse(false));
        String manager = "am-" + Long.toString(System.nanoTime(), 36);
        users.create(manager, "manager-password", Role.STORE_MANAGER, Set.of(mine));
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(apiKeys.issue("analytics of one store", Set.of(mine)));

        String rate = rest.exchange("/api/v1/insights/repurchase-rate", HttpMethod.GET, new HttpEntity<>(headers),
                String.class).getBody();
        String cohorts = rest.exchange("/api/v1/insights/cohorts", HttpMethod.GET, new HttpEntity<>(headers),
                String.class).getBody();

        assertThat(json.readTree(rate)).extracting(m -> m.path("month").asText() + ":" + m.path("buyers").asLong() + "/"
                + m.path("repeatBuyers").asLong()).containsExactly("2025-03:1/0", "2025-04:1/1");
        assertThat(json.readTree(cohorts)).extracting(c -> c.path("cohort").asText() + "+" + c.path("monthsLater").asInt()
                + "=" + c.path("customers").asLong()).containsExactly("2025-03+0=1", "2025-03+1=1");

        signIn(manager, "manager-password");
        page.navigate(url("/analytics"));
        assertThat(page.locator("#analytics-scope").textContent()).contains(mineCode);
        assertThat(page.locator("#repurchase-chart canvas").count()).as("the rate is drawn").isPositive();
        assertThat(page.locator("#cohort-chart canvas").count()).as("the cohorts are drawn").isPositive();
        page.screenshot(new com.microsoft.playwright.Page.ScreenshotOptions()
                .setPath(java.nio.file.Path.of("target", "screenshots", "analytics-store-manager.png")).setFullPage(true));
    }

    private long sale(String store, String phone, String day) throws Exception {
        String body = """
                {"source":"analytics-test","receiptNo":"%s-%s","storeCode":"%s","purchasedAt":"%sT12:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-A","quantity":1,"unitPrice":"88.00"}]}"""
                .formatted(store, day, store, day, phone);
        return json.readTree(apiPost("/api/v1/receipts", body).getBody()).path("customerId").asLong();
    }

    /** Three purchases 30 days apart, the last one yesterday, through the receipt API. */
    private long aCustomerWhoCameBack() {
        return aCustomerWhoCameBack(1);
    }

    /** Three purchases 30 days apart, the last {@code daysAgo} days ago. */
    private long aCustomerWhoCameBack(int daysAgo) {
        String store = "AN-" + Long.toString(System.nanoTime(), 36);
        StoreFixtures.create(catalog, store);
        String phone = "136" + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
        long customer = 0;
        LocalDate last = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(daysAgo);
        for (int i = 0; i < 3; i++) {
            String body = """
                    {"source":"analytics-test","receiptNo":"%s-%d","storeCode":"%s","purchasedAt":"%sT12:00:00+08:00",
                     "customer":{"phone":"%s"},"lines":[{"sku":"SKU-A","quantity":1,"unitPrice":"88.00"}]}"""
                    .formatted(store, i, store, last.minusDays(30L * (2 - i)), phone);
            try {
                customer = json.readTree(apiPost("/api/v1/receipts", body).getBody()).path("customerId").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        long id = customer;
        await().atMost(Duration.ofSeconds(20)).until(() -> insights.metricsOf(id)
                .map(m -> m.frequency() == 3).orElse(false));
        return id;
    }
}
