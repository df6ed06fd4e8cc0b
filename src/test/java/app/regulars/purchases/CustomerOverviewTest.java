package app.regulars.purchases;

import static app.regulars.purchases.PurchasesFixtures.phone;
import static app.regulars.purchases.PurchasesFixtures.phoneCustomer;
import static app.regulars.purchases.PurchasesFixtures.refund;
import static app.regulars.purchases.PurchasesFixtures.sale;
import static app.regulars.purchases.PurchasesFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

class CustomerOverviewTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired ObjectMapper json;

    @Test
    void theOverviewShowsStatsAndAMaskedPhone() throws Exception {
        String source = unique("pos");
        String store = unique("SH");
        StoreFixtures.create(catalog, store);
        String phone = phone();
        JsonNode first = json.readTree(apiPost("/api/v1/receipts",
                sale(source, "R-1", store, phoneCustomer(phone), "SKU-A", 2, "100.00")).getBody());
        apiPost("/api/v1/receipts", sale(source, "R-2", store, phoneCustomer(phone), "SKU-B", 1, "60.00"));
        apiPost("/api/v1/receipts", refund(source, "R-3", "R-1", store, "SKU-A", 1, "100.00"));
        long customer = first.path("customerId").asLong();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stats = overview(customer).path("stats");
            assertThat(stats.path("orders").asInt()).isEqualTo(2);
            assertThat(stats.path("refunds").asInt()).isEqualTo(1);
        });
        ResponseEntity<String> response = apiGet("/api/v1/customers/" + customer + "/overview");
        JsonNode body = json.readTree(response.getBody());

        assertThat(response.getBody()).as("no personal data in clear").doesNotContain(phone)
                .doesNotContain("cardNo");
        assertThat(body.path("customer").path("id").asLong()).isEqualTo(customer);
        assertThat(body.path("customer").path("phoneMasked").asText())
                .isEqualTo(phone.substring(0, 3) + "****" + phone.substring(7));
        JsonNode stats = body.path("stats");
        assertThat(stats.path("spendCents").asLong()).isEqualTo(20000 + 6000);
        assertThat(stats.path("refundCents").asLong()).isEqualTo(10000);
        assertThat(stats.path("firstPurchaseAt").asText()).isEqualTo("2026-11-11T02:00:00Z");
        JsonNode latest = body.path("latest");
        assertThat(latest).hasSize(3);
        assertThat(latest.get(0).path("kind").asText()).as("newest first").isEqualTo("refund");
        assertThat(latest.get(0).path("original").asText()).isEqualTo("R-1");
        assertThat(latest.get(1).path("reference").asText()).isEqualTo("R-2");
        assertThat(latest.get(1).path("lines").get(0).path("skuCode").asText()).isEqualTo("SKU-B");
        assertThat(latest.get(2).path("lines").get(0).path("quantity").asInt()).isEqualTo(2);
        assertThat(latest.get(2).path("storeName").asText()).isNotBlank();
    }

    @Test
    void theOverviewOfAnUnknownCustomerIsNotFound() {
        assertThat(apiGet("/api/v1/customers/987654321987/overview").getStatusCode().value()).isEqualTo(404);
    }

    private JsonNode overview(long customer) throws Exception {
        return json.readTree(apiGet("/api/v1/customers/" + customer + "/overview").getBody());
    }
}
