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
import app.regulars.catalog.StaffDraft;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

class ReceiptIntakeTest extends IntegrationTest {

    @Autowired JdbcTemplate jdbc;
    @Autowired Catalog catalog;
    @Autowired Customers customers;
    @Autowired ObjectMapper json;

    String source;
    String store;

    @BeforeEach
    void store() {
        source = unique("pos");
        store = unique("SH");
        StoreFixtures.create(catalog, store);
    }

    @Test
    void aRetriedReceiptIsStoredOnceAndReturnsTheOriginalResult() throws Exception {
        String body = sale(source, "R-1", store, phoneCustomer(phone()), "SKU-1", 2, "199.00");

        ResponseEntity<String> first = apiPost("/api/v1/receipts", body);
        ResponseEntity<String> retry = apiPost("/api/v1/receipts", body);

        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(201);
        assertThat(retry.getStatusCode().value()).as(retry.getBody()).isEqualTo(200);
        JsonNode a = json.readTree(first.getBody());
        JsonNode b = json.readTree(retry.getBody());
        assertThat(a.path("created").asBoolean()).isTrue();
        assertThat(b.path("created").asBoolean()).isFalse();
        assertThat(b.path("receiptId").asLong()).isEqualTo(a.path("receiptId").asLong());
        assertThat(b.path("customerId").asLong()).isEqualTo(a.path("customerId").asLong());
        assertThat(b.path("totalCents").asLong()).isEqualTo(39800).isEqualTo(a.path("totalCents").asLong());
        long id = a.path("receiptId").asLong();
        assertThat(count("select count(*) from receipt where source = ?", source)).isEqualTo(1);
        assertThat(count("select count(*) from receipt_line where receipt_id = ?", id)).isEqualTo(1);
        assertThat(count("select count(*) from event_feed where topic = 'purchases' and (payload->>'receiptId')::bigint = ?",
                id)).isEqualTo(1);
    }

    @Test
    void theSameReceiptSentConcurrentlyIsStoredOnce() throws Exception {
        String body = sale(source, "R-1", store, phoneCustomer(phone()), "SKU-1", 1, "12.00");
        List<ResponseEntity<String>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ResponseEntity<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> apiPost("/api/v1/receipts", body)));
            }
            for (Future<ResponseEntity<String>> call : calls) {
                responses.add(call.get());
            }
        }
        assertThat(responses).extracting(r -> r.getStatusCode().value()).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(responses.stream().map(r -> {
            try {
                return json.readTree(r.getBody()).path("receiptId").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct()).hasSize(1);
        assertThat(count("select count(*) from receipt_line l join receipt r on r.id = l.receipt_id where r.source = ?",
                source)).isEqualTo(1);
        assertThat(count("select count(*) from event_feed where topic = 'purchases' and (payload->>'receiptId')::bigint in "
                + "(select id from receipt where source = ?)", source)).isEqualTo(1);
        // No foreign key guards lines (V25): the calls that lost the race must have written none of theirs.
        assertThat(count("select count(*) from receipt_line l where not exists (select 1 from receipt r where r.id = l.receipt_id)"))
                .isZero();
    }

    @Test
    void aBatchWithOneBadReceiptStoresNothingAndNamesTheBadLine() throws Exception {
        String bad = """
                {"source":"%s","receiptNo":"B-2","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "lines":[{"sku":"SKU-1","quantity":1,"unitPrice":"10"},{"sku":"SKU-2","quantity":0,"unitPrice":"5.50"}]}"""
                .formatted(source, store);
        String batch = "{\"receipts\":[" + sale(source, "B-1", store, null, "SKU-1", 1, "10.00") + "," + bad + ","
                + sale(source, "B-3", store, phoneCustomer(phone()), "SKU-3", 1, "3.00") + "]}";

        ResponseEntity<String> response = apiPost("/api/v1/receipts", batch);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        assertThat(fields(response)).containsExactly("receipts[1].lines[1].quantity");
        assertThat(count("select count(*) from receipt where source = ?", source)).isZero();
    }

    @Test
    void aBatchIsStoredWithARefundOfASaleInTheSameBatch() throws Exception {
        String batch = "{\"receipts\":[" + sale(source, "S-1", store, phoneCustomer(phone()), "SKU-9", 3, "20.00")
                + "," + refund(source, "F-1", "S-1", store, "SKU-9", 1, "20.00") + "]}";

        ResponseEntity<String> response = apiPost("/api/v1/receipts", batch);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        JsonNode results = json.readTree(response.getBody()).path("results");
        assertThat(results.get(1).path("customerId").asLong()).isEqualTo(results.get(0).path("customerId").asLong());
        assertThat(jdbc.queryForObject("select original_receipt_id from receipt where source = ? and receipt_no = 'F-1'",
                Long.class, source)).isEqualTo(results.get(0).path("receiptId").asLong());
    }

    @Test
    void aPhoneTheCustomersModuleRefusesIsNamedWithItsReceipt() throws Exception {
        String batch = "{\"receipts\":[" + sale(source, "P-1", store, phoneCustomer(phone()), "SKU-1", 1, "1") + ","
                + sale(source, "P-2", store, phoneCustomer("12"), "SKU-1", 1, "1") + "]}";

        ResponseEntity<String> response = apiPost("/api/v1/receipts", batch);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        assertThat(fields(response)).containsExactly("receipts[1].customer.phone");
        assertThat(count("select count(*) from receipt where source = ?", source)).isZero();
    }

    @Test
    void aCustomerFirstSeenOnOldReceiptsJoinedWhereAndWhenTheEarliestWasMade() throws Exception {
        String earlierStore = unique("BJ");
        StoreFixtures.create(catalog, earlierStore);
        String customer = phoneCustomer(phone());
        String later = sale(source, "H-2", store, customer, "SKU-1", 1, "10")
                .replace("2026-11-11T10:00:00+08:00", "2025-03-02T15:00:00+08:00");
        String earlier = sale(source, "H-1", earlierStore, customer, "SKU-1", 1, "10")
                .replace("2026-11-11T10:00:00+08:00", "2025-01-10T09:30:00+08:00");

        ResponseEntity<String> response = apiPost("/api/v1/receipts", "{\"receipts\":[" + later + "," + earlier + "]}");

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        long id = json.readTree(response.getBody()).path("results").path(0).path("customerId").asLong();
        Map<String, Object> joined = jdbc.queryForMap("""
                select c.registered_at, s.code from customer c join store s on s.id = c.registration_store_id
                where c.id = ?""", id);
        assertThat(((java.sql.Timestamp) joined.get("registered_at")).toInstant())
                .isEqualTo(Instant.parse("2025-01-10T01:30:00Z"));
        assertThat(joined.get("code")).isEqualTo(earlierStore);
    }

    @Test
    void aRegularRegisteredBeforeTheirHistoryArrivedJoinedAtTheirEarliestPurchase() throws Exception {
        String phone = phone();
        long id = json.readTree(apiPost("/api/v1/customers", Map.of("phone", phone)).getBody()).path("id").asLong();
        String older = sale(source, "H-1", store, phoneCustomer(phone), "SKU-1", 1, "10")
                .replace("2026-11-11T10:00:00+08:00", "2025-01-10T09:30:00+08:00");
        String later = sale(source, "H-2", store, phoneCustomer(phone), "SKU-1", 1, "10")
                .replace("2026-11-11T10:00:00+08:00", "2025-06-01T09:30:00+08:00");

        assertThat(apiPost("/api/v1/receipts", older).getStatusCode().value()).isEqualTo(201);
        assertThat(apiPost("/api/v1/receipts", later).getStatusCode().value()).isEqualTo(201);

        assertThat(jdbc.queryForObject("select registered_at from customer where id = ?", java.sql.Timestamp.class, id)
                .toInstant()).isEqualTo(Instant.parse("2025-01-10T01:30:00Z"));
        assertThat(count("""
                select count(*) from event_feed where type = 'customer.updated' and customer_id = ?
                  and payload::text like '%registeredAt%'""", id)).as("announced once, by the older receipt").isEqualTo(1);
    }

    @Test
    void aBadPhoneAndABadLineAreNamedTogether() throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/receipts",
                sale(source, "P-3", store, phoneCustomer("139123"), "SKU-1", -1, "1"));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        assertThat(fields(response)).containsExactlyInAnyOrder("customer.phone", "lines[0].quantity");
        assertThat(count("select count(*) from receipt where source = ?", source)).isZero();
    }

    @Test
    void aRefundLargerThanItsReceiptIsRefused() throws Exception {
        assertThat(apiPost("/api/v1/receipts", sale(source, "S-1", store, phoneCustomer(phone()), "SKU-1", 2, "50"))
                .getStatusCode().value()).isEqualTo(201);

        ResponseEntity<String> response = apiPost("/api/v1/receipts", refund(source, "F-1", "S-1", store, "SKU-1", 3, "50"));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(422);
        assertThat(fields(response)).containsExactly("lines[0].quantity");
        assertThat(count("select count(*) from receipt where source = ? and kind = 'refund'", source)).isZero();
    }

    @Test
    void aRefundOfAnUnknownReceiptOrOfAnotherSkuIsRefused() throws Exception {
        apiPost("/api/v1/receipts", sale(source, "S-1", store, null, "SKU-1", 2, "50"));

        assertThat(fields(apiPost("/api/v1/receipts", refund(source, "F-1", "S-404", store, "SKU-1", 1, "50"))))
                .containsExactly("originalReceiptNo");
        assertThat(fields(apiPost("/api/v1/receipts", refund(source, "F-2", "S-1", store, "SKU-2", 1, "50"))))
                .containsExactly("lines[0].sku");
    }

    @Test
    void twoPartialRefundsCannotTogetherExceedTheSale() throws Exception {
        String customer = phoneCustomer(phone());
        apiPost("/api/v1/receipts", sale(source, "S-1", store, customer, "SKU-1", 3, "80.00"));

        ResponseEntity<String> first = apiPost("/api/v1/receipts", refund(source, "F-1", "S-1", store, "SKU-1", 2, "80.00"));
        ResponseEntity<String> second = apiPost("/api/v1/receipts", refund(source, "F-2", "S-1", store, "SKU-1", 2, "80.00"));
        ResponseEntity<String> third = apiPost("/api/v1/receipts", refund(source, "F-3", "S-1", store, "SKU-1", 1, "80.00"));
        ResponseEntity<String> firstAgain = apiPost("/api/v1/receipts", refund(source, "F-1", "S-1", store, "SKU-1", 2, "80.00"));

        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(201);
        assertThat(second.getStatusCode().value()).as(second.getBody()).isEqualTo(422);
        assertThat(fields(second)).containsExactly("lines[0].quantity");
        assertThat(third.getStatusCode().value()).as(third.getBody()).isEqualTo(201);
        assertThat(firstAgain.getStatusCode().value()).as("a retried refund is a replay, not a new refund").isEqualTo(200);
        assertThat(json.readTree(first.getBody()).path("customerId").asLong())
                .as("a refund without identity belongs to the sale's customer")
                .isEqualTo(json.readTree(third.getBody()).path("customerId").asLong());
    }

    @Test
    void concurrentRefundsOfOneSaleCannotTogetherExceedIt() throws Exception {
        apiPost("/api/v1/receipts", sale(source, "S-1", store, null, "SKU-1", 5, "10"));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ResponseEntity<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String no = "F-" + i;
                calls.add(pool.submit(() -> apiPost("/api/v1/receipts", refund(source, no, "S-1", store, "SKU-1", 1, "10"))));
            }
            int accepted = 0;
            for (Future<ResponseEntity<String>> call : calls) {
                accepted += call.get().getStatusCode().value() == 201 ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(5);
        }
        assertThat(count("select coalesce(sum(l.quantity), 0) from receipt r join receipt_line l on l.receipt_id = r.id "
                + "where r.source = ? and r.kind = 'refund'", source)).isEqualTo(5);
    }

    @Test
    void aReceiptForAnUnknownPhoneCreatesTheCustomer() throws Exception {
        String phone = phone();
        assertThat(customers.find(Identity.ofPhone(phone))).isEmpty();

        ResponseEntity<String> response = apiPost("/api/v1/receipts", sale(source, "R-1", store, phoneCustomer(phone),
                "SKU-1", 1, "9.90"));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        long customerId = json.readTree(response.getBody()).path("customerId").asLong();
        assertThat(customers.find(Identity.ofPhone(phone))).contains(customerId);
        assertThat(count("select count(*) from receipt_line l join receipt r on r.id = l.receipt_id "
                + "where r.source = ? and l.customer_id = ?", source, customerId)).isEqualTo(1);
    }

    @Test
    void aReceiptWithoutIdentityIsAnonymous() throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/receipts", sale(source, "R-1", store, null, "SKU-1", 1, "9.90"));
        ResponseEntity<String> emptyIdentity = apiPost("/api/v1/receipts", sale(source, "R-2", store, "{}", "SKU-1", 1, "9.90"));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        assertThat(emptyIdentity.getStatusCode().value()).as(emptyIdentity.getBody()).isEqualTo(201);
        assertThat(json.readTree(response.getBody()).path("customerId").isNull()).isTrue();
        assertThat(count("select count(*) from receipt where source = ? and customer_id is null", source)).isEqualTo(2);
    }

    @Test
    void aReceiptKeepsItsStaffMemberAndAnUnknownStaffCodeAsSent() throws Exception {
        long storeId = catalog.storeByCode(store).orElseThrow().id();
        long staffId = catalog.upsertStaff(storeId, new StaffDraft("A07", "Advisor Wang", "advisor", true)).id();
        apiPost("/api/v1/receipts", sale(source, "R-1", store, null, "SKU-1", 1, "1")
                .replace("\"lines\"", "\"staffCode\":\"A07\",\"lines\""));
        apiPost("/api/v1/receipts", sale(source, "R-2", store, null, "SKU-1", 1, "1")
                .replace("\"lines\"", "\"staffCode\":\"NEW-1\",\"lines\""));

        assertThat(jdbc.queryForList("select coalesce(staff_id, 0) || ':' || staff_code from receipt where source = ? "
                + "order by receipt_no", String.class, source)).containsExactly(staffId + ":A07", "0:NEW-1");
    }

    @Test
    void aTimeWithoutOffsetIsReadInTheStoresTimezone() throws Exception {
        apiPost("/api/v1/receipts", sale(source, "R-1", store, null, "SKU-1", 1, "1")
                .replace("2026-11-11T10:00:00+08:00", "2026-11-11T10:00:00"));

        assertThat(jdbc.queryForObject("select purchased_at = '2026-11-11T02:00:00Z'::timestamptz from receipt "
                + "where source = ?", Boolean.class, source)).isTrue();
    }

    @Test
    void unknownStoreIsRefusedNamingStoreCode() throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/receipts", sale(source, "R-1", "NOPE-" + store, null, "SKU-1",
                1, "1.00"));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(422);
        assertThat(fields(response)).containsExactly("storeCode");
        assertThat(count("select count(*) from receipt where source = ?", source)).isZero();
    }

    @Test
    void malformedJsonAndUnknownFieldsGet400WithThePlace() throws Exception {
        ResponseEntity<String> broken = apiPost("/api/v1/receipts", "{\"source\": \"x\",\n \"receiptNo\": }");
        ResponseEntity<String> unknown = apiPost("/api/v1/receipts", """
                {"receipts":[{"source":"%s","receiptNo":"R-1","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "lines":[{"sku":"SKU-1","quantity":1,"unitPrice":"1.00","colour":"red"}]}]}""".formatted(source, store));
        ResponseEntity<String> tooPrecise = apiPost("/api/v1/receipts", sale(source, "R-2", store, null, "SKU-1", 1, "1.005"));
        ResponseEntity<String> badDate = apiPost("/api/v1/receipts", sale(source, "R-3", store, null, "SKU-1", 1, "1")
                .replace("2026-11-11T10:00:00+08:00", "yesterday"));
        ResponseEntity<String> future = apiPost("/api/v1/receipts", sale(source, "R-4", store, null, "SKU-1", 1, "1")
                .replace("2026-11-11T10:00:00+08:00", "2099-01-01T00:00:00Z"));

        assertThat(broken.getStatusCode().value()).isEqualTo(400);
        assertThat(broken.getBody()).contains("line 2");
        assertThat(unknown.getStatusCode().value()).isEqualTo(400);
        assertThat(fields(unknown)).containsExactly("receipts[0].lines[0].colour");
        assertThat(tooPrecise.getStatusCode().value()).isEqualTo(400);
        assertThat(fields(tooPrecise)).containsExactly("lines[0].unitPrice");
        assertThat(fields(badDate)).containsExactly("purchasedAt");
        assertThat(fields(future)).containsExactly("purchasedAt");
        assertThat(count("select count(*) from receipt where source = ?", source)).isZero();
    }

    @Test
    void aBatchOfMoreThanAThousandIsRefusedWithAMessage() throws Exception {
        String one = sale(source, "R-%d", store, null, "SKU-1", 1, "1");
        StringBuilder body = new StringBuilder("{\"receipts\":[");
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append(one.replace("R-%d", "R-" + i));
        }
        ResponseEntity<String> response = apiPost("/api/v1/receipts", body.append("]}").toString());

        assertThat(response.getStatusCode().value()).isEqualTo(413);
        assertThat(response.getBody()).contains("at most 1000");
    }

    @Test
    void statsFollowReceiptsAndRefunds() throws Exception {
        String customer = phoneCustomer(phone());
        ResponseEntity<String> first = apiPost("/api/v1/receipts", sale(source, "S-1", store, customer, "SKU-1", 2, "100.00"));
        apiPost("/api/v1/receipts", sale(source, "S-2", store, customer, "SKU-2", 1, "50.50")
                .replace("2026-11-11T10:00:00+08:00", "2026-11-20T10:00:00+08:00"));
        apiPost("/api/v1/receipts", refund(source, "F-1", "S-1", store, "SKU-1", 1, "100.00"));
        long customerId = json.readTree(first.getBody()).path("customerId").asLong();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stats = json.readTree(apiGet("/api/v1/customers/" + customerId + "/stats").getBody());
            assertThat(stats.path("orders").asInt()).isEqualTo(2);
            assertThat(stats.path("spendCents").asLong()).isEqualTo(25050);
            assertThat(stats.path("refunds").asInt()).isEqualTo(1);
            assertThat(stats.path("refundCents").asLong()).isEqualTo(10000);
            assertThat(stats.path("firstPurchaseAt").asText()).isEqualTo("2026-11-11T02:00:00Z");
            assertThat(stats.path("lastPurchaseAt").asText()).isEqualTo("2026-11-20T02:00:00Z");
        });
        JsonNode timeline = json.readTree(apiGet("/api/v1/customers/" + customerId + "/timeline").getBody());
        assertThat(timeline.path("entries").findValuesAsText("reference")).containsExactly("S-2", "F-1", "S-1");
        assertThat(timeline.path("entries").get(1).path("kind").asText()).isEqualTo("refund");
        assertThat(timeline.path("entries").get(1).path("original").asText()).isEqualTo("S-1");
    }

    @Test
    void concurrentWritersNeverMakeTheConsumerSkipOrRepeat() throws Exception {
        List<String> phones = List.of(phone(), phone(), phone(), phone());
        int threads = 8;
        int each = 25;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                calls.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        String customer = phoneCustomer(phones.get((thread + i) % phones.size()));
                        String body = sale(source, "C-" + thread + "-" + i, store, customer, "SKU-" + (i % 3), 1, "1.00");
                        ok += apiPost("/api/v1/receipts", body).getStatusCode().value() == 201 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(each);
            }
        }
        List<Long> ids = phones.stream().map(p -> customers.find(Identity.ofPhone(p)).orElseThrow()).toList();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (long id : ids) {
                assertThat(count("select coalesce(max(orders), 0) from customer_stats where customer_id = ?", id))
                        .isEqualTo(count("select count(*) from receipt where customer_id = ?", id));
            }
            assertThat(count("select coalesce(sum(orders), 0) from customer_stats where customer_id = any(?)",
                    (Object) ids.toArray(Long[]::new))).isEqualTo(threads * each);
        });
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private List<String> fields(ResponseEntity<String> response) throws Exception {
        return json.readTree(response.getBody()).path("errors").findValuesAsText("field");
    }
}
