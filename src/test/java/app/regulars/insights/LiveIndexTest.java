package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Value;
import app.regulars.insights.rule.Window;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/** The running application's index follows receipts and merges from the feed, without a restart. */
class LiveIndexTest extends IntegrationTest {

    @Autowired RuleEngine engine;
    @Autowired Insights insights;
    @Autowired Catalog catalog;
    @Autowired ObjectMapper json;

    private static Rule ordersAt(String store, int atLeast) {
        Value.Aggregate orders = new Value.Aggregate("orders", null, new Window.AllTime(Span.NONE),
                List.of(new Value.Filter("store", false, List.of(store), Span.NONE)), Span.NONE);
        return new Rule.Compare(orders, Rule.Operator.GE, new Value.NumberLiteral(BigDecimal.valueOf(atLeast), Span.NONE),
                Span.NONE);
    }

    private List<Long> customersMatching(Rule rule) {
        return engine.evaluate(rule, Memberships.NONE).ordinals().stream().mapToObj(engine::customerIdOf)
                .map(Long::valueOf).toList();
    }

    private long sale(String store, String phone, String receiptNo, String price) throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/receipts", """
                {"source":"insights-live","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-LIVE","quantity":1,"unitPrice":"%s"}]}"""
                .formatted(receiptNo, store, phone, price));
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        return json.readTree(response.getBody()).path("customerId").asLong();
    }

    private static String phone() {
        return "136" + String.format("%08d", Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 100_000_000L));
    }

    @Test
    void aPostedReceiptShowsInRulesAndMetricsWithoutARestart() throws Exception {
        String store = "LV-" + UUID.randomUUID().toString().substring(0, 8);
        StoreFixtures.create(catalog, store);

        long customer = sale(store, phone(), store + "-1", "88.00");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(customersMatching(ordersAt(store, 1))).containsExactly(customer));
        CustomerInsights metrics = insights.metricsOf(customer).orElseThrow();
        assertThat(metrics.frequency()).isEqualTo(1);
        assertThat(metrics.monetaryCents()).isEqualTo(8800);
        assertThat(metrics.preferredStore()).isEqualTo(store);
        ResponseEntity<String> api = apiGet("/api/v1/customers/" + customer + "/insights");
        assertThat(json.readTree(api.getBody()).path("monetaryCents").asLong()).isEqualTo(8800);
        assertThat(apiGet("/api/v1/insights/repurchase-rate").getStatusCode().value()).isEqualTo(200);
        assertThat(apiGet("/api/v1/insights/cohorts").getStatusCode().value()).isEqualTo(200);
        assertThat(apiGet("/api/v1/customers/999999999/insights").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void anAfterSalesTicketIsCountedByRulesAndShownOnTheTimeline() throws Exception {
        String store = "LV-" + UUID.randomUUID().toString().substring(0, 8);
        StoreFixtures.create(catalog, store);
        String phone = phone();
        long customer = sale(store, phone, store + "-1", "120.00");
        ResponseEntity<String> ticket = apiPost("/api/v1/events", """
                {"events":[{"source":"after-sales","externalId":"%s-T1","customer":{"phone":"%s"},"type":"ticket",
                  "occurredAt":"%s","storeCode":"%s","detail":{"reason":"quality"}}]}"""
                .formatted(store, phone, java.time.Instant.now().minusSeconds(3600), store));
        assertThat(ticket.getStatusCode().value()).as(ticket.getBody()).isEqualTo(201);

        String rule = "orders(store = \"%s\") = 1 and events(\"ticket\", 30d) >= 1".formatted(store);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(customersMatching(rule)).containsExactly(customer));
        assertThat(apiGet("/api/v1/customers/" + customer + "/timeline").getBody()).contains("\"ticket\"");
    }

    @Test
    void aMergeMovesTheMergedCustomersReceiptsToTheSurvivor() throws Exception {
        String store = "LV-" + UUID.randomUUID().toString().substring(0, 8);
        StoreFixtures.create(catalog, store);
        long survivor = sale(store, phone(), store + "-1", "10.00");
        long merged = sale(store, phone(), store + "-2", "20.00");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(customersMatching(ordersAt(store, 1))).containsExactlyInAnyOrder(survivor, merged));

        ResponseEntity<String> merge = apiPost("/api/v1/customers/merge",
                "{\"survivorId\":%d,\"mergedId\":%d}".formatted(survivor, merged));

        assertThat(merge.getStatusCode().value()).as(merge.getBody()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(customersMatching(ordersAt(store, 1))).containsExactly(survivor);
            assertThat(customersMatching(ordersAt(store, 2))).containsExactly(survivor);
        });
        assertThat(insights.metricsOf(merged).orElseThrow().customerId()).as("the merged id answers for the survivor")
                .isEqualTo(survivor);
        assertThat(insights.metricsOf(survivor).orElseThrow().monetaryCents()).isEqualTo(3000);
    }

    private List<Long> customersMatching(String rule) {
        return customersMatching(app.regulars.insights.rule.RuleText.parse(rule));
    }

    @Test
    void pointsEarnedAndACouponIssuedShowInLoyaltyRulesWithoutARestart() throws Exception {
        String store = "LV-" + UUID.randomUUID().toString().substring(0, 8);
        StoreFixtures.create(catalog, store);
        long customer = sale(store, phone(), store + "-1", "88.00");
        String template = "LIVE券-" + UUID.randomUUID().toString().substring(0, 8);
        ResponseEntity<String> created = apiPost("/api/v1/coupon-templates",
                "{\"name\":\"%s\",\"kind\":\"fixed\",\"amountCents\":1000,\"validDays\":30}".formatted(template));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        long templateId = json.readTree(created.getBody()).path("id").asLong();

        ResponseEntity<String> issued = apiPost("/api/v1/coupons",
                "{\"templateId\":%d,\"customerId\":%d,\"issueKey\":\"%s\"}".formatted(templateId, customer, template));

        assertThat(issued.getStatusCode().value()).as(issued.getBody()).isEqualTo(201);
        String rule = "orders(store = \"%s\") = 1 and points_balance >= 88 and coupons_unused = 1".formatted(store);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(customersMatching(rule)).as("88 points for ¥88 and one unused coupon").containsExactly(customer));
        assertThat(customersMatching("orders(store = \"%s\") = 1 and coupon_redeemed(\"%s\", 30d) > 0"
                .formatted(store, template))).isEmpty();
    }
}
