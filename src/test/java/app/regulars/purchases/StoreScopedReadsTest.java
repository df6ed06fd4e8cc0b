package app.regulars.purchases;

import static app.regulars.purchases.PurchasesFixtures.phone;
import static app.regulars.purchases.PurchasesFixtures.phoneCustomer;
import static app.regulars.purchases.PurchasesFixtures.sale;
import static app.regulars.purchases.PurchasesFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.access.ApiKeys;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A key limited to one store reads that store's customers and purchases, and nothing of the others. */
class StoreScopedReadsTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired ApiKeys keys;
    @Autowired ObjectMapper json;

    private Store mine;
    private Store theirs;
    private String myKey;
    private long myCustomer;
    private long theirCustomer;
    private String theirPhone;

    @BeforeEach
    void twoStoresWithACustomerEach() throws Exception {
        mine = StoreFixtures.create(catalog, unique("SH"));
        theirs = StoreFixtures.create(catalog, unique("BJ"));
        myKey = keys.issue("till of " + mine.code(), Set.of(mine.id()));
        String myPhone = phone();
        theirPhone = phone();
        myCustomer = register(myPhone, mine.id());
        theirCustomer = register(theirPhone, theirs.id());
        String source = unique("pos");
        apiPost("/api/v1/receipts", sale(source, "R-1", mine.code(), phoneCustomer(myPhone), "SKU-A", 1, "100.00"));
        apiPost("/api/v1/receipts", sale(source, "R-2", theirs.code(), phoneCustomer(myPhone), "SKU-A", 1, "900.00"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json.readTree(apiGet("/api/v1/customers/" + myCustomer + "/stats").getBody()).path("orders").asInt() == 2);
    }

    @Test
    void aCustomerOfAnotherStoreIsNotFound() {
        assertThat(scoped("/api/v1/customers/" + theirCustomer).getStatusCode().value()).isEqualTo(404);
        assertThat(scoped("/api/v1/customers/" + theirCustomer + "/overview").getStatusCode().value()).isEqualTo(404);
        assertThat(scoped("/api/v1/customers/" + theirCustomer + "/timeline").getStatusCode().value()).isEqualTo(404);
        assertThat(scoped("/api/v1/customers/" + myCustomer).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void searchAndListsLeaveOutCustomersOfOtherStores() throws Exception {
        assertThat(json.readTree(scoped("/api/v1/customers?phone=" + theirPhone).getBody()).path("customers")).isEmpty();
        assertThat(json.readTree(apiGet("/api/v1/customers?phone=" + theirPhone).getBody()).path("customers"))
                .as("a chain-wide key finds them").hasSize(1);
        List<Long> listed = json.readTree(scoped("/api/v1/customers?size=200").getBody()).path("customers")
                .findValues("id").stream().map(JsonNode::asLong).toList();
        assertThat(listed).contains(myCustomer).doesNotContain(theirCustomer);
    }

    @Test
    void statsAndTimelineCountOnlyTheStoresOwnReceipts() throws Exception {
        JsonNode stats = json.readTree(scoped("/api/v1/customers/" + myCustomer + "/stats").getBody());
        assertThat(stats.path("orders").asInt()).isEqualTo(1);
        assertThat(stats.path("spendCents").asLong()).isEqualTo(10_000);
        JsonNode timeline = json.readTree(scoped("/api/v1/customers/" + myCustomer + "/timeline").getBody());
        assertThat(timeline.path("entries").findValues("reference").stream().map(JsonNode::asText))
                .containsExactly("R-1");
        JsonNode overview = json.readTree(scoped("/api/v1/customers/" + myCustomer + "/overview").getBody());
        assertThat(overview.path("stats").path("spendCents").asLong()).isEqualTo(10_000);
        assertThat(overview.path("latest")).hasSize(1);
    }

    @Test
    void findingDuplicatesNeedsEveryStore() {
        assertThat(scoped("/api/v1/customers/duplicates").getStatusCode().value()).isEqualTo(403);
    }

    private long register(String phone, long homeStore) throws Exception {
        String body = "{\"phone\":\"" + phone + "\",\"homeStoreId\":" + homeStore + "}";
        return json.readTree(apiPost("/api/v1/customers", body).getBody()).path("id").asLong();
    }

    private ResponseEntity<String> scoped(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(myKey);
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        return rest.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }
}
