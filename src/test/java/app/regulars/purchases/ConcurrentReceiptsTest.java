package app.regulars.purchases;

import static app.regulars.purchases.PurchasesFixtures.phone;
import static app.regulars.purchases.PurchasesFixtures.phoneCustomer;
import static app.regulars.purchases.PurchasesFixtures.sale;
import static app.regulars.purchases.PurchasesFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many tills posting one receipt each at the same moment (the intake writes such receipts together):
 * every caller still gets its own answer, a bad receipt fails alone, and a receipt sent twice at once
 * is stored once.
 */
class ConcurrentReceiptsTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;

    @Test
    void simultaneousTillsEachGetTheirOwnAnswerAndNothingIsStoredTwice() throws Exception {
        String store = unique("SH");
        StoreFixtures.create(catalog, store);
        String source = unique("pos");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            bodies.add(sale(source, "R-" + i, store, phoneCustomer(phone()), "SKU-" + (i % 7), 1 + i % 3, "19.90"));
            if (i % 4 == 0) {
                bodies.add(sale(source, "R-" + i, store, phoneCustomer(phone()), "SKU-0", 1, "19.90")); // a till retrying
            }
            if (i % 12 == 0) {
                bodies.add(sale(source, "BAD-" + i, "NO-SUCH-STORE", null, "SKU-1", 1, "5.00"));
            }
        }
        Map<String, List<ResponseEntity<String>>> answers = new ConcurrentHashMap<>();
        try (ExecutorService tills = Executors.newFixedThreadPool(48)) {
            List<Future<?>> posts = new ArrayList<>();
            for (String body : bodies) {
                posts.add(tills.submit(() -> {
                    ResponseEntity<String> answer = apiPost("/api/v1/receipts", body);
                    String receiptNo = json.readTree(body).path("receiptNo").asText();
                    answers.computeIfAbsent(receiptNo, k -> new ArrayList<>()).add(answer);
                    return null;
                }));
            }
            for (Future<?> post : posts) {
                post.get();
            }
        }

        for (Map.Entry<String, List<ResponseEntity<String>>> e : answers.entrySet()) {
            List<Integer> statuses = e.getValue().stream().map(r -> r.getStatusCode().value()).sorted().toList();
            if (e.getKey().startsWith("BAD-")) {
                assertThat(statuses).as(e.getKey()).containsExactly(422);
                assertThat(e.getValue().getFirst().getBody()).contains("storeCode").contains("unknown store");
            } else if (statuses.size() == 2) {
                assertThat(statuses).as("sent twice: stored by one call, found by the other").containsExactly(200, 201);
                List<Long> ids = new ArrayList<>();
                for (ResponseEntity<String> r : e.getValue()) {
                    ids.add(json.readTree(r.getBody()).path("receiptId").asLong());
                }
                assertThat(ids.get(0)).isEqualTo(ids.get(1));
            } else {
                assertThat(statuses).as(e.getKey()).containsExactly(201);
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from receipt where source = ?", Long.class, source))
                .isEqualTo(120);
        assertThat(jdbc.queryForObject("select count(*) from event_feed where topic = 'purchases' and payload->>'receiptId' in "
                + "(select id::text from receipt where source = ?)", Long.class, source)).isEqualTo(120);
        JsonNode one = json.readTree(answers.get("R-5").getFirst().getBody());
        assertThat(one.path("totalCents").asLong()).isEqualTo(3 * 1990);
    }
}
