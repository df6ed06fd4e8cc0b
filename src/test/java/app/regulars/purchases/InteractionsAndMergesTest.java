package app.regulars.purchases;

import static app.regulars.purchases.PurchasesFixtures.phone;
import static app.regulars.purchases.PurchasesFixtures.phoneCustomer;
import static app.regulars.purchases.PurchasesFixtures.refund;
import static app.regulars.purchases.PurchasesFixtures.sale;
import static app.regulars.purchases.PurchasesFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.access.ApiKeys;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.Customers;
import app.regulars.customers.Duplicates;
import app.regulars.customers.Identity;
import app.regulars.insights.Insights;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class InteractionsAndMergesTest extends IntegrationTest {

    @Autowired JdbcTemplate jdbc;
    @Autowired Catalog catalog;
    @Autowired Duplicates duplicates;
    @Autowired ApiKeys apiKeys;
    @Autowired ObjectMapper json;
    @Autowired PurchaseHistory history;
    @Autowired PurchaseIntake intake;
    @Autowired Insights insights;
    @Autowired DataSource dataSource;
    @Autowired Customers customers;
    @Autowired TransactionTemplate tx;

    String source;
    String store;

    @BeforeEach
    void store() {
        source = unique("app");
        store = unique("BJ");
        StoreFixtures.create(catalog, store);
    }

    @Test
    void anInteractionIsStoredOnceAndShowsOnTheTimeline() throws Exception {
        String phone = phone();
        String events = """
                {"events":[
                 {"source":"%1$s","externalId":"E-1","customer":{"phone":"%2$s"},"type":"visit",
                  "occurredAt":"2026-11-10T09:00:00+08:00","storeCode":"%3$s"},
                 {"source":"%1$s","externalId":"E-2","customer":{"phone":"%2$s"},"type":"review","rating":5,
                  "occurredAt":"2026-11-12T09:00:00+08:00","sku":"SKU-1","detail":{"channel":"mini_program"}}]}"""
                .formatted(source, phone, store);

        ResponseEntity<String> first = apiPost("/api/v1/events", events);
        ResponseEntity<String> retry = apiPost("/api/v1/events", events);
        ResponseEntity<String> receipt = apiPost("/api/v1/receipts", sale(source, "R-1", store, phoneCustomer(phone),
                "SKU-1", 1, "10"));

        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(201);
        assertThat(retry.getStatusCode().value()).as(retry.getBody()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from interaction where source = ?", Long.class, source)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from event_feed where topic = 'interactions' "
                + "and (payload->>'interactionId')::bigint in (select id from interaction where source = ?)",
                Long.class, source)).isEqualTo(2);
        long customer = json.readTree(receipt.getBody()).path("customerId").asLong();
        TimelinePage page = history.timeline(customer, 0);
        assertThat(page.entries()).extracting(TimelineEntry::kind).containsExactly("interaction", "sale", "interaction");
        assertThat(page.entries().getFirst().rating()).isEqualTo(5);
        assertThat(page.entries().getLast().storeName()).isEqualTo("Store " + store);
        assertThat(jdbc.queryForObject("select registered_at from customer where id = ?", java.sql.Timestamp.class,
                customer).toInstant()).as("joined at the first interaction that named them")
                .isEqualTo(java.time.Instant.parse("2026-11-10T01:00:00Z"));
    }

    @Test
    void anInteractionWithPersonalDataInItsDetailIsRefused() throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/events", """
                {"source":"%s","externalId":"E-1","customer":{"phone":"%s"},"type":"survey_answer",
                 "occurredAt":"2026-11-10T09:00:00+08:00","detail":{"phone":"13800138000"}}""".formatted(source, phone()));
        ResponseEntity<String> badType = apiPost("/api/v1/events", """
                {"source":"%s","externalId":"E-2","customer":{"phone":"%s"},"type":"teleport",
                 "occurredAt":"2026-11-10T09:00:00+08:00"}""".formatted(source, phone()));

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(response.getBody()).path("errors").findValuesAsText("field")).containsExactly("detail.phone");
        assertThat(json.readTree(badType.getBody()).path("errors").findValuesAsText("field")).containsExactly("type");
        assertThat(response.getBody()).doesNotContain("13800138000");
    }

    @Test
    void aStoreScopedKeyMayNotSendReceiptsOfAnotherStore() throws Exception {
        String other = unique("GZ");
        Store own = catalog.storeByCode(store).orElseThrow();
        StoreFixtures.create(catalog, other);
        String key = apiKeys.issue("till " + store, Set.of(own.id()));

        ResponseEntity<String> ownStore = post(key, sale(source, "R-1", store, null, "SKU-1", 1, "1"));
        ResponseEntity<String> otherStore = post(key, "{\"receipts\":[" + sale(source, "R-2", store, null, "SKU-1", 1, "1")
                + "," + sale(source, "R-3", other, null, "SKU-1", 1, "1") + "]}");

        assertThat(ownStore.getStatusCode().value()).as(ownStore.getBody()).isEqualTo(201);
        assertThat(otherStore.getStatusCode().value()).as(otherStore.getBody()).isEqualTo(403);
        assertThat(json.readTree(otherStore.getBody()).path("errors").findValuesAsText("field"))
                .containsExactly("receipts[1].storeCode");
        assertThat(jdbc.queryForObject("select count(*) from receipt where source = ?", Long.class, source)).isEqualTo(1);
    }

    @Test
    void aMergeMovesReceiptsAndStatsToTheSurvivor() throws Exception {
        String a = phoneCustomer(phone());
        String b = phoneCustomer(phone());
        long survivor = customerOf(apiPost("/api/v1/receipts", sale(source, "A-1", store, a, "SKU-1", 1, "100")));
        long merged = customerOf(apiPost("/api/v1/receipts", sale(source, "B-1", store, b, "SKU-1", 2, "30")));
        apiPost("/api/v1/receipts", sale(source, "B-2", store, b, "SKU-2", 1, "5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> history.stats(merged).orders() == 2);

        duplicates.merge(survivor, merged);
        // A refund of the merged customer's receipt after the merge counts for the survivor too.
        apiPost("/api/v1/receipts", refund(source, "F-1", "B-1", store, "SKU-1", 1, "30"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CustomerStats stats = history.stats(survivor);
            assertThat(stats.orders()).isEqualTo(3);
            assertThat(stats.spendCents()).isEqualTo(10000 + 6000 + 500);
            assertThat(stats.refunds()).isEqualTo(1);
            assertThat(stats.refundCents()).isEqualTo(3000);
            assertThat(history.stats(merged).orders()).isZero();
        });
        assertThat(jdbc.queryForList("select distinct customer_id from receipt where source = ?", Long.class, source))
                .containsExactly(survivor);
        assertThat(jdbc.queryForObject("select count(*) from receipt_line where customer_id = ?", Long.class, merged)).isZero();
        assertThat(history.timeline(survivor, 0).entries()).hasSize(4);
        assertThat(json.readTree(apiGet("/api/v1/customers/" + merged + "/stats").getBody()).path("orders").asInt())
                .as("the merged customer's id answers with the survivor's stats").isEqualTo(3);
        assertThat(apiGet("/api/v1/customers/999999999/timeline").getStatusCode().value()).isEqualTo(404);
    }

    /**
     * The till's transaction recognised the merged customer's phone just before the merge committed and
     * wrote the receipt just after it: the merge never saw the row. Holding the sku table makes the till
     * stop between the two (it registers the receipt's new SKU after recognising the customer).
     */
    @Test
    void aReceiptWrittenWhileItsCustomerIsMergedEndsWithTheSurvivor() throws Exception {
        String b = phone();
        long survivor = customerOf(apiPost("/api/v1/receipts", sale(source, "A-1", store, phoneCustomer(phone()),
                "SKU-1", 1, "100")));
        long merged = customerOf(apiPost("/api/v1/receipts", sale(source, "B-1", store, phoneCustomer(b),
                "SKU-1", 1, "30")));
        await().atMost(Duration.ofSeconds(10)).until(() -> history.stats(merged).orders() == 1);
        ReceiptDraft late = new ReceiptDraft(source, "B-2", ReceiptDraft.SALE, Identity.ofPhone(b), store,
                Instant.parse("2026-11-12T02:00:00Z"), null, null, null,
                List.of(new ReceiptLine(unique("SKU"), null, 1, 500, 0, null)), null, null);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("lock table sku in share mode");
            Future<List<IntakeResult>> till = threads.submit(() -> intake.acceptAll(List.of(late)));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingFor("sku") > 0);
            Future<?> merge = threads.submit(() -> duplicates.merge(survivor, merged));
            // Either the merge is done (it did not wait for the till) or it waits for the till's transaction.
            await().atMost(Duration.ofSeconds(10)).until(() -> merge.isDone() || waitingFor(null) > 1);
            holder.commit();
            till.get(10, TimeUnit.SECONDS);
            merge.get(10, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(jdbc.queryForObject("select customer_id from receipt where source = ? and receipt_no = 'B-2'",
                Long.class, source)).isEqualTo(survivor);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(history.stats(survivor).orders()).isEqualTo(3);
            assertThat(history.stats(survivor).spendCents()).isEqualTo(10000 + 3000 + 500);
            assertThat(history.stats(merged).orders()).isZero();
        });
        long storeId = catalog.storeByCode(store).orElseThrow().id();
        assertThat(history.stats(survivor, StoreFilter.only(Set.of(storeId))).orders())
                .as("a store manager's view of the survivor, summed from the receipts").isEqualTo(3);
        assertThat(history.stats(merged, StoreFilter.only(Set.of(storeId))).orders()).isZero();
        assertThat(history.timeline(survivor, 0).entries()).extracting(TimelineEntry::reference).contains("B-2");
        // The insights index read the row after the merge event, and follows merges either way.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(insights.metricsOf(survivor).orElseThrow().frequency()).isEqualTo(3);
            assertThat(insights.metricsOf(merged).orElseThrow().customerId()).isEqualTo(survivor);
        });
    }

    /**
     * A refund locks its original sale and a merge locks the sale's customer: each then needs what the
     * other holds (the refund the customer, the merge the sale, to move it), unless both take them in
     * one order. Locking receipt_line pauses the refund right after it locked the sale (the next
     * statement sums what was sold); the merge starts while it waits.
     */
    @Test
    void refundAndMergeOfItsCustomerBothSucceed() throws Exception {
        long survivor = customerOf(apiPost("/api/v1/receipts", sale(source, "A-1", store, phoneCustomer(phone()),
                "SKU-1", 1, "100")));
        long merged = customerOf(apiPost("/api/v1/receipts", sale(source, "B-1", store, phoneCustomer(phone()),
                "SKU-1", 2, "30")));
        String refund = refund(source, "F-1", "B-1", store, "SKU-1", 1, "30");
        Map<String, Long> ids = Map.of("survivorId", survivor, "mergedId", merged);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        ResponseEntity<String> refunded;
        ResponseEntity<String> merge;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("lock table receipt_line in access exclusive mode");
            Future<ResponseEntity<String>> till = threads.submit(() -> apiPost("/api/v1/receipts", refund));
            await().atMost(Duration.ofSeconds(10)).until(() -> refundsPaused() > 0);
            Future<ResponseEntity<String>> merging = threads.submit(() -> apiPost("/api/v1/customers/merge", ids));
            await().atMost(Duration.ofSeconds(10)).until(() -> merging.isDone() || waitingForThePausedRefund() > 0);
            assertThat(merging.isDone()).as("the merge waits for the refund").isFalse();
            holder.commit();
            refunded = till.get(20, TimeUnit.SECONDS);
            merge = merging.get(20, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(refunded.getStatusCode().value()).as(refunded.getBody()).isEqualTo(201);
        assertThat(merge.getStatusCode().value()).as(merge.getBody()).isEqualTo(200);
        ResponseEntity<String> retry = apiPost("/api/v1/receipts", refund);
        assertThat(retry.getStatusCode().value()).as(retry.getBody()).isEqualTo(200);
        assertThat(json.readTree(retry.getBody()).path("receiptId").asLong())
                .isEqualTo(json.readTree(refunded.getBody()).path("receiptId").asLong());
        assertThat(jdbc.queryForList("select receipt_no || ' ' || customer_id from receipt where source = ? order by id",
                String.class, source)).containsExactly("A-1 " + survivor, "B-1 " + survivor, "F-1 " + survivor);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CustomerStats stats = history.stats(survivor);
            assertThat(stats.orders()).isEqualTo(2);
            assertThat(stats.spendCents()).isEqualTo(10000 + 6000);
            assertThat(stats.refunds()).isEqualTo(1);
            assertThat(stats.refundCents()).isEqualTo(3000);
            assertThat(history.stats(merged).orders()).isZero();
        });
    }

    /**
     * Two batches, each with a receipt at two stores, name the same two known customers with the member
     * cards their profiles lack, in opposite order. A third transaction holds both customers, so both
     * batches reach them at the same moment. Recognising used to go store by store, claiming each card
     * and writing it onto the profile before the batch held its customers in id order: each batch then
     * had one customer (and its card) and waited for the other's, until PostgreSQL aborted one (a 503).
     */
    @Test
    void twoBatchesNamingTheSameCustomersInOppositeOrderBothSucceed() throws Exception {
        String otherStore = unique("SZ");
        StoreFixtures.create(catalog, otherStore);
        String phone1 = phone();
        String phone2 = phone();
        long first = customerOf(apiPost("/api/v1/receipts", sale(source, "K-1", store, phoneCustomer(phone1),
                "SKU-1", 1, "10")));
        long second = customerOf(apiPost("/api/v1/receipts", sale(source, "K-2", store, phoneCustomer(phone2),
                "SKU-1", 1, "10")));
        String card1 = unique("VIP").toUpperCase();
        String card2 = unique("VIP").toUpperCase();
        String one = "{\"receipts\":[" + sale(source, "A-1", store, memberCustomer(phone1, card1), "SKU-1", 1, "10")
                + "," + sale(source, "A-2", otherStore, memberCustomer(phone2, card2), "SKU-1", 1, "10") + "]}";
        String other = "{\"receipts\":[" + sale(source, "B-1", store, memberCustomer(phone2, card2), "SKU-1", 1, "10")
                + "," + sale(source, "B-2", otherStore, memberCustomer(phone1, card1), "SKU-1", 1, "10") + "]}";

        ExecutorService threads = Executors.newFixedThreadPool(2);
        ResponseEntity<String> oneAnswer;
        ResponseEntity<String> otherAnswer;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select id from customer where id in (" + first + ", " + second
                    + ") for no key update");
            Future<ResponseEntity<String>> oneCall = threads.submit(() -> apiPost("/api/v1/receipts", one));
            Future<ResponseEntity<String>> otherCall = threads.submit(() -> apiPost("/api/v1/receipts", other));
            await().atMost(Duration.ofSeconds(10)).until(() -> oneCall.isDone() || otherCall.isDone()
                    || waitingFor(null) >= 2);
            holder.commit();
            oneAnswer = oneCall.get(20, TimeUnit.SECONDS);
            otherAnswer = otherCall.get(20, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(oneAnswer.getStatusCode().value()).as(oneAnswer.getBody()).isEqualTo(201);
        assertThat(otherAnswer.getStatusCode().value()).as(otherAnswer.getBody()).isEqualTo(201);
        assertThat(jdbc.queryForList("select receipt_no || ' ' || customer_id from receipt where source = ? "
                + "and receipt_no not like 'K-%' order by receipt_no", String.class, source)).containsExactly(
                "A-1 " + first, "A-2 " + second, "B-1 " + second, "B-2 " + first);
        assertThat(customers.find(Identity.ofCard(card1))).contains(first);
        assertThat(customers.find(Identity.ofCard(card2))).contains(second);
        assertThat(customers.summary(first).orElseThrow().cardNo()).isEqualTo(card1);
        assertThat(customers.summary(second).orElseThrow().cardNo()).isEqualTo(card2);
    }

    /**
     * The refund reads its sale without a lock and only locks it after holding the customers; a merge
     * that commits in between has moved the sale, and the refund follows it to the survivor. A sale in
     * the same call for a phone another transaction is claiming right now (and then gives up) makes the
     * refund wait in between.
     */
    @Test
    void aRefundWhoseSaleIsMergedAwayBeforeItIsLockedEndsWithTheSurvivor() throws Exception {
        long survivor = customerOf(apiPost("/api/v1/receipts", sale(source, "A-1", store, phoneCustomer(phone()),
                "SKU-1", 1, "100")));
        long merged = customerOf(apiPost("/api/v1/receipts", sale(source, "B-1", store, phoneCustomer(phone()),
                "SKU-1", 2, "30")));
        String newcomer = phone();
        String call = "{\"receipts\":[" + refund(source, "F-1", "B-1", store, "SKU-1", 1, "30") + ","
                + sale(source, "C-1", store, phoneCustomer(newcomer), "SKU-1", 1, "10") + "]}";
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        ExecutorService threads = Executors.newFixedThreadPool(3);
        ResponseEntity<String> accepted;
        try {
            Future<?> claimer = threads.submit(() -> tx.executeWithoutResult(status -> {
                customers.resolveOrCreate(Identity.ofPhone(newcomer), null, null);
                claimed.countDown();
                await().atMost(Duration.ofSeconds(20)).until(() -> release.getCount() == 0);
                status.setRollbackOnly();
            }));
            assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
            Future<ResponseEntity<String>> till = threads.submit(() -> apiPost("/api/v1/receipts", call));
            await().atMost(Duration.ofSeconds(10)).until(() -> claimsWaiting() > 0);
            Future<ResponseEntity<String>> merging = threads.submit(() -> apiPost("/api/v1/customers/merge",
                    Map.of("survivorId", survivor, "mergedId", merged)));
            await("the merge, not kept waiting by a refund that has not locked its sale yet")
                    .atMost(Duration.ofSeconds(10)).until(merging::isDone);
            assertThat(merging.get().getStatusCode().value()).as(merging.get().getBody()).isEqualTo(200);
            release.countDown();
            claimer.get(10, TimeUnit.SECONDS);
            accepted = till.get(20, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }

        assertThat(accepted.getStatusCode().value()).as(accepted.getBody()).isEqualTo(201);
        assertThat(json.readTree(accepted.getBody()).path("results").path(0).path("customerId").asLong())
                .isEqualTo(survivor);
        assertThat(jdbc.queryForList("select customer_id from receipt where source = ? and receipt_no in ('B-1', 'F-1')",
                Long.class, source)).containsExactly(survivor, survivor);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(history.stats(survivor).refunds()).isEqualTo(1);
            assertThat(history.stats(survivor).refundCents()).isEqualTo(3000);
        });
    }

    /** Calls waiting to claim an identity another transaction has claimed and not committed yet. */
    private long claimsWaiting() {
        return jdbc.queryForObject("""
                select count(*) from pg_stat_activity
                where wait_event_type = 'Lock' and query like '%insert into customer_identity%'""", Long.class);
    }

    /** Refunds waiting in the statement that sums what their original sold (receipt_line is held). */
    private long refundsPaused() {
        return jdbc.queryForObject("""
                select count(*) from pg_stat_activity
                where wait_event_type = 'Lock' and query like '%sum(quantity)::int from receipt_line%'""", Long.class);
    }

    /** Backends waiting for a lock the paused refund holds. */
    private long waitingForThePausedRefund() {
        return jdbc.queryForObject("""
                select count(*) from pg_stat_activity w join pg_stat_activity r on r.pid = any(pg_blocking_pids(w.pid))
                where r.wait_event_type = 'Lock' and r.query like '%sum(quantity)::int from receipt_line%'""", Long.class);
    }

    /** Backends waiting for a lock: on this table, or (null) of any kind. */
    private long waitingFor(String table) {
        return table == null
                ? jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class)
                : jdbc.queryForObject("select count(*) from pg_locks where not granted and relation = ?::regclass",
                        Long.class, table);
    }

    private static String memberCustomer(String phone, String card) {
        return "{\"phone\":\"" + phone + "\",\"cardNo\":\"" + card + "\"}";
    }

    private long customerOf(ResponseEntity<String> response) throws Exception {
        JsonNode body = json.readTree(response.getBody());
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        return body.path("customerId").asLong();
    }

    private ResponseEntity<String> post(String key, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        return rest.exchange("/api/v1/receipts", HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
    }
}
