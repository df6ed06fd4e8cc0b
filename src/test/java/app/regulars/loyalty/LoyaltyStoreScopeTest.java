package app.regulars.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.access.ApiKeys;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A key limited to one store reads and changes the points of that store's customers only. */
class LoyaltyStoreScopeTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired Customers customers;
    @Autowired ApiKeys keys;
    @Autowired PointsLedger ledger;

    private String myKey;
    private long myCustomer;
    private long theirCustomer;

    @BeforeEach
    void twoStoresWithACustomerEach() {
        Store mine = StoreFixtures.create(catalog, LoyaltyFixtures.unique("LS"));
        Store theirs = StoreFixtures.create(catalog, LoyaltyFixtures.unique("LB"));
        myKey = keys.issue("till of " + mine.code(), Set.of(mine.id()));
        myCustomer = customers.resolveOrCreate(Identity.ofPhone(LoyaltyFixtures.phone()), mine.id(), null);
        theirCustomer = customers.resolveOrCreate(Identity.ofPhone(LoyaltyFixtures.phone()), theirs.id(), null);
    }

    @Test
    void everyLoyaltyEndpointOfAnotherStoresCustomerIsNotFoundForAStoreScopedKey() {
        String at = "/api/v1/loyalty/customers/" + theirCustomer;
        assertThat(scoped(HttpMethod.GET, at, null).getStatusCode().value()).isEqualTo(404);
        assertThat(scoped(HttpMethod.GET, at + "/ledger", null).getStatusCode().value()).isEqualTo(404);
        assertThat(scoped(HttpMethod.POST, at + "/adjustments",
                Map.of("points", 1000, "reason", "a gift from another store", "idempotencyKey", LoyaltyFixtures.unique("a")))
                .getStatusCode().value()).isEqualTo(404);
        assertThat(scoped(HttpMethod.POST, at + "/gift-redemptions",
                Map.of("giftCode", "mug", "idempotencyKey", LoyaltyFixtures.unique("g"))).getStatusCode().value())
                .isEqualTo(404);
        assertThat(scoped(HttpMethod.POST, at + "/coupon-exchanges",
                Map.of("templateCode", "x", "idempotencyKey", LoyaltyFixtures.unique("c"))).getStatusCode().value())
                .isEqualTo(404);
        assertThat(scoped(HttpMethod.PUT, at + "/tier", Map.of("tierCode", "black",
                "until", Instant.now().plus(30, ChronoUnit.DAYS).toString(), "reason", "vip")).getStatusCode().value())
                .isEqualTo(404);
        ResponseEntity<String> problem = scoped(HttpMethod.GET, at, null);
        assertThat(problem.getBody()).contains("customer " + theirCustomer + " not found");

        assertThat(ledger.entries(theirCustomer, 10)).isEmpty();
        assertThat(ledger.account(theirCustomer).tierCode()).isEqualTo("basic");
    }

    @Test
    void theKeysOwnStoresCustomerIsServedAndMayBeAdjustedAsBefore() {
        String at = "/api/v1/loyalty/customers/" + myCustomer;
        assertThat(scoped(HttpMethod.GET, at, null).getStatusCode().value()).isEqualTo(200);
        ResponseEntity<String> adjusted = scoped(HttpMethod.POST, at + "/adjustments",
                Map.of("points", 250, "reason", "welcome", "idempotencyKey", LoyaltyFixtures.unique("a")));
        assertThat(adjusted.getStatusCode().value()).as(adjusted.getBody()).isEqualTo(201);
        assertThat(ledger.account(myCustomer).balance()).isEqualTo(250);
    }

    private ResponseEntity<String> scoped(HttpMethod method, String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(myKey);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        return rest.exchange(path, method, new HttpEntity<>(body, headers), String.class);
    }
}
