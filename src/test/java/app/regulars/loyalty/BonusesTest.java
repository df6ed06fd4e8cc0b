package app.regulars.loyalty;

import static app.regulars.loyalty.LoyaltyFixtures.phone;
import static app.regulars.loyalty.LoyaltyFixtures.refund;
import static app.regulars.loyalty.LoyaltyFixtures.sale;
import static app.regulars.loyalty.LoyaltyFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * Sign-up, first-purchase, referral (老带新), birthday-month and interaction points, configured through
 * the API for one store only (so other tests' receipts are untouched), and what a whole refund takes back.
 */
class BonusesTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired ObjectMapper json;
    @Autowired PointsLedger ledger;
    @Autowired app.regulars.customers.Duplicates duplicates;

    Store store;
    String source;
    final Instant weeksAgo = Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    final LocalDate purchaseDay = LocalDate.ofInstant(weeksAgo, ZoneId.of("Asia/Shanghai"));

    @BeforeEach
    void programme() {
        store = StoreFixtures.create(catalog, unique("BN"));
        source = unique("pos");
        rule("signup_bonus", Map.of("points", 50));
        rule("first_purchase_bonus", Map.of("points", 100));
        rule("referral", Map.of("referrerPoints", 200, "refereePoints", 80));
        rule("birthday_month", Map.of("factor", 2));
        rule("interaction", Map.of("interactionType", "check_in", "points", 5, "dailyCap", 2));
        rule("interaction", Map.of("interactionType", "share", "points", 3, "dailyCap", 1));
    }

    @Test
    void aReferredCustomersFirstPurchaseRewardsBothSidesAndAWholeRefundTakesTheBonusesBack() throws Exception {
        String referrerPhone = phone();
        String refereePhone = phone();
        long referrer = register(Map.of("phone", referrerPhone));
        long referee = register(Map.of("phone", refereePhone, "referrerCustomerId", referrer,
                "birthday", "1990-%02d-02".formatted(purchaseDay.getMonthValue())));
        awaitBalance(referrer, 50);
        awaitBalance(referee, 50);

        post(sale(source, "R-1", store.code(), refereePhone, weeksAgo, "SKU-A:1:100.00"));
        // 50 sign-up + 100 × 2 birthday month + 100 first purchase + 80 referee
        awaitBalance(referee, 430);
        awaitBalance(referrer, 250);

        post(sale(source, "R-2", store.code(), refereePhone, weeksAgo.plusSeconds(60), "SKU-A:1:10.00"));
        awaitBalance(referee, 450); // no second first-purchase bonus

        post(refund(source, "F-1", "R-1", store.code(), weeksAgo.plusSeconds(120), "SKU-A:1:100.00"));
        awaitBalance(referee, 70);
        awaitBalance(referrer, 50);
        assertThat(ledger.verify(referee).problems()).isEmpty();
        assertThat(ledger.verify(referrer).problems()).isEmpty();
    }

    @Test
    void mergedCustomersPointsAndLaterReceiptsCountForTheSurvivor() throws Exception {
        String survivorPhone = phone();
        String mergedPhone = phone();
        long survivor = register(Map.of("phone", survivorPhone));
        long merged = register(Map.of("phone", mergedPhone));
        post(sale(source, "R-1", store.code(), mergedPhone, weeksAgo, "SKU-A:1:30.00"));
        awaitBalance(merged, 50 + 30 + 100);

        duplicates.merge(survivor, merged);
        post(refund(source, "F-1", "R-1", store.code(), weeksAgo.plusSeconds(60), "SKU-A:1:30.00"));

        awaitBalance(survivor, 50 + 50);
        assertThat(ledger.account(merged).balance()).isZero();
        assertThat(ledger.verify(survivor).problems()).isEmpty();
        assertThat(ledger.verify(merged).problems()).isEmpty();
    }

    @Test
    void checkInsEarnUpToTheDailyCap() throws Exception {
        String phone = phone();
        long customer = register(Map.of("phone", phone));
        awaitBalance(customer, 50);
        String day = purchaseDay.atTime(10, 0) + "+08:00";

        postEvents(phone, "check_in", day, day, day, purchaseDay.plusDays(1).atTime(10, 0) + "+08:00");

        awaitBalance(customer, 65); // two on the first day, one on the next
        assertThat(ledger.entries(customer, 10)).filteredOn(e -> e.kind().equals("interaction")).hasSize(3);
    }

    @Test
    void sharingEarnsPointsOncePerDayAndShowsOnTheTimeline() throws Exception {
        String phone = phone();
        long customer = register(Map.of("phone", phone));
        awaitBalance(customer, 50);
        String day = purchaseDay.atTime(10, 0) + "+08:00";

        postEvents(phone, "share", day, day);

        awaitBalance(customer, 53); // the daily cap is one share
        assertThat(apiGet("/api/v1/customers/" + customer + "/timeline").getBody()).contains("share");
    }

    /** Interactions of one type by the customer with this phone at this test's store, one at each time. */
    private void postEvents(String phone, String type, String... occurredAt) {
        StringBuilder events = new StringBuilder("{\"events\":[");
        for (int i = 0; i < occurredAt.length; i++) {
            events.append(i == 0 ? "" : ",").append("""
                    {"source":"%s","externalId":"%s-%d","customer":{"phone":"%s"},"type":"%s","occurredAt":"%s","storeCode":"%s"}"""
                    .formatted(source, type, i, phone, type, occurredAt[i], store.code()));
        }
        ResponseEntity<String> posted = apiPost("/api/v1/events", events.append("]}").toString());
        assertThat(posted.getStatusCode().is2xxSuccessful()).as(posted.getBody()).isTrue();
    }

    @Test
    void aRuleWithBadTermsIsRefusedNamingTheField() throws Exception {
        ResponseEntity<String> noFactor = apiPost("/api/v1/loyalty/rules", Map.of("name", "x", "kind", "special_days",
                "terms", Map.of("daysOfMonth", List.of(8))));
        ResponseEntity<String> badDay = apiPost("/api/v1/loyalty/rules", Map.of("name", "x", "kind", "special_days",
                "terms", Map.of("factor", 2, "daysOfMonth", List.of(32))));
        ResponseEntity<String> unknownStore = apiPost("/api/v1/loyalty/rules", Map.of("name", "x", "kind", "per_amount",
                "terms", Map.of("pointsPerYuan", 1, "storeCodes", List.of(unique("NOPE")))));
        ResponseEntity<String> backwards = apiPost("/api/v1/loyalty/rules", Map.of("name", "x", "kind", "per_amount",
                "startsOn", "2026-12-31", "endsOn", "2026-12-01", "terms", Map.of("pointsPerYuan", 1)));

        assertThat(fields(noFactor)).containsExactly("terms.factor");
        assertThat(fields(badDay)).containsExactly("terms.daysOfMonth");
        assertThat(fields(unknownStore)).containsExactly("terms.storeCodes");
        assertThat(fields(backwards)).containsExactly("endsOn");
        assertThat(List.of(noFactor, badDay, unknownStore, backwards)).allSatisfy(r ->
                assertThat(r.getStatusCode().value()).isEqualTo(400));
    }

    private void rule(String kind, Map<String, Object> terms) {
        Map<String, Object> all = new HashMap<>(terms);
        all.put("storeCodes", List.of(store.code()));
        ResponseEntity<String> r = apiPost("/api/v1/loyalty/rules", Map.of("name", kind + " " + store.code(), "kind", kind,
                "terms", all));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
    }

    private long register(Map<String, Object> body) throws Exception {
        Map<String, Object> all = new HashMap<>(body);
        all.put("registrationStoreId", store.id());
        ResponseEntity<String> r = apiPost("/api/v1/customers", all);
        assertThat(r.getStatusCode().is2xxSuccessful()).as(r.getBody()).isTrue();
        return json.readTree(r.getBody()).path("id").asLong();
    }

    private void post(String body) {
        ResponseEntity<String> r = apiPost("/api/v1/receipts", body);
        assertThat(r.getStatusCode().is2xxSuccessful()).as(r.getBody()).isTrue();
    }

    private void awaitBalance(long customer, long points) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ledger.account(customer).balance()).isEqualTo(points));
    }

    private List<String> fields(ResponseEntity<String> r) throws Exception {
        return json.readTree(r.getBody()).path("errors").findValuesAsText("field");
    }
}
