package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreDraft;
import app.regulars.purchases.PurchaseHistory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PurchaseSectionsTest extends BrowserTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired Catalog catalog;
    @Autowired PurchaseHistory history;
    @Autowired ObjectMapper json;

    @Test
    void theCustomer360ShowsStatsAndATimelineWithRefundsMarked() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        String store = "SH-" + run;
        catalog.upsertStore(new StoreDraft(store, "静安嘉里店", "华东", "上海", null, null, null));
        catalog.upsertProducts(java.util.List.of(new app.regulars.catalog.ProductDraft("SKU-CREAM", "修护面霜", null, null,
                null, null)));
        String phone = "135" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
        String source = "pos-" + run;
        String sale = """
                {"source":"%s","receiptNo":"R-1","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},"paymentMethod":"wechat_pay",
                 "lines":[{"sku":"SKU-CREAM","quantity":2,"unitPrice":"199.00","discount":"20","couponCode":"D11"},
                          {"sku":"SKU-MASK","quantity":1,"unitPrice":"59.90"}]}""".formatted(source, store, phone);
        long customer = json.readTree(apiPost("/api/v1/receipts", sale).getBody()).path("customerId").asLong();
        apiPost("/api/v1/receipts", """
                {"source":"%s","receiptNo":"F-1","kind":"refund","originalReceiptNo":"R-1","reasonCode":"quality",
                 "storeCode":"%s","purchasedAt":"2026-11-15T16:30:00+08:00",
                 "lines":[{"sku":"SKU-MASK","quantity":1,"unitPrice":"59.90"}]}""".formatted(source, store));
        apiPost("/api/v1/events", """
                {"source":"miniapp","externalId":"rev-%s","customer":{"phone":"%s"},"type":"review","rating":4,
                 "occurredAt":"2026-11-13T20:00:00+08:00","sku":"SKU-CREAM"}""".formatted(run, phone));
        await().atMost(Duration.ofSeconds(10)).until(() -> history.stats(customer).refunds() == 1);

        signIn();
        page.navigate(url("/customers/" + customer));
        page.locator("#stat-orders").waitFor();
        page.locator("#timeline-rows").waitFor();

        assertThat(page.locator("#stat-orders .value").innerText()).isEqualTo("1");
        assertThat(page.locator("#stat-spend .value").innerText()).isEqualTo("¥437.90");
        assertThat(page.locator("#stat-refunds .value").innerText()).isEqualTo("1 / ¥59.90");
        assertThat(page.locator("#stat-aov .value").innerText()).isEqualTo("¥378.00");
        assertThat(page.locator("#stat-first .value").innerText()).isEqualTo("2026-11-11");
        assertThat(page.locator("#timeline-rows tr").count()).isEqualTo(3);
        assertThat(page.locator("#timeline-rows tr.entry-refund").innerText()).contains("退款").contains("−¥59.90")
                .contains("退货自 R-1").contains("质量问题");
        assertThat(page.locator("#timeline-rows tr.entry-interaction").innerText()).contains("评价").contains("★★★★☆");
        assertThat(page.locator("#timeline-rows tr.entry-sale").innerText()).contains("静安嘉里店")
                .contains("修护面霜 (SKU-CREAM) × 2").contains("¥378.00").contains("D11");
        // Two years of spend, a bar a month: November's is the sale net of its refund.
        assertThat(page.locator("#spend-chart rect.bought").count()).isEqualTo(1);
        assertThat(page.locator("#spend-chart rect.hover").count()).isEqualTo(24);
        assertThat(page.locator("#spend-chart title").allTextContents())
                .contains("2026-11：1 单，¥437.90，退款 ¥59.90");
        assertThat(page.locator("#spend-chart figcaption").innerText()).contains("¥378.00");

        page.navigate(url("/customers/" + customer + "?lang=en"));
        page.locator("#stat-orders").waitFor();
        assertThat(page.locator(".purchase-stats h2").innerText()).isEqualTo("Purchases");
        page.locator("#timeline-rows").waitFor();
    }

    @Test
    void theTimelineLoadsMoreOnRequest() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        String phone = "135" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
        StringBuilder events = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 25; i++) {
            events.append(i == 0 ? "" : ",").append("""
                    {"source":"app","externalId":"pv-%s-%d","customer":{"phone":"%s"},"type":"page_view",
                     "occurredAt":"2026-10-%02dT12:00:00+08:00","detail":{"page":"/p/%d"}}""".formatted(run, i, phone, i + 1, i));
        }
        long customer = json.readTree(apiPost("/api/v1/events", events.append("]}").toString()).getBody())
                .path("results").get(0).path("customerId").asLong();

        signIn();
        page.navigate(url("/customers/" + customer));
        page.locator("#timeline-more").waitFor();
        assertThat(page.locator("#timeline-rows tr.entry-interaction").count()).isEqualTo(20);
        page.locator("#timeline-more").click();
        page.waitForCondition(() -> page.locator("#timeline-rows tr.entry-interaction").count() == 25);
        assertThat(page.locator("#timeline-more").count()).isZero();
        assertThat(page.locator("#timeline-rows tr.entry-interaction").last().innerText()).contains("2026-10-01")
                .contains("/p/0").contains("浏览");
    }
}
