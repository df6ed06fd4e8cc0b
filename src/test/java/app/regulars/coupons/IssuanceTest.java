package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.coupons.CouponFixtures.Spec;
import app.regulars.customers.Customers;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

class IssuanceTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired Customers customers;
    @Autowired CouponTemplates templates;
    @Autowired Coupons coupons;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;

    @Test
    void concurrentIssuanceNeverExceedsTheQuantityTheBudgetOrThePerCustomerLimit() throws Exception {
        CouponTemplate byQuantity = Spec.fixed(10_00).quantity(10).create(templates);
        CouponTemplate byBudget = Spec.fixed(50_00).budget(200_00).create(templates);
        CouponTemplate perCustomer = Spec.fixed(5_00).perCustomer(2).create(templates);
        long regular = CouponFixtures.customer(customers);

        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long someone = CouponFixtures.customer(customers);
            calls.add(() -> tryIssue(byQuantity, someone));
            calls.add(() -> tryIssue(byBudget, someone));
            calls.add(() -> tryIssue(perCustomer, regular));
        }
        List<Boolean> results = runTogether(calls);

        assertThat(results.stream().filter(ok -> ok).count()).isEqualTo(10 + 4 + 2);
        assertThat(issued(byQuantity)).isEqualTo(10);
        assertThat(issued(byBudget)).isEqualTo(4);
        assertThat(issued(perCustomer)).isEqualTo(2);
        assertThat(templates.find(byBudget.id()).orElseThrow().issuedFaceCents()).isEqualTo(200_00);
        assertThatThrownBy(() -> coupons.issue(new Issue(byQuantity.id(), regular, unique("k"), "api")))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.errors().getFirst().reason()).isEqualTo("QUANTITY_CAP"));
    }

    @Test
    void theSameIssueKeyIssuesOneCouponWithAnUnguessableCode() throws Exception {
        CouponTemplate template = Spec.fixed(10_00).create(templates);
        long customer = CouponFixtures.customer(customers);
        String key = unique("journey-7-step-2");
        List<Callable<Issued>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> coupons.issue(new Issue(template.id(), customer, key, "journey")));
        }
        List<Issued> issued = runTogether(calls);
        assertThat(issued.stream().map(Issued::couponId).distinct()).hasSize(1);
        assertThat(issued.stream().filter(Issued::created)).hasSize(1);
        assertThat(issued(template)).isEqualTo(1);
        assertThat(issued.getFirst().code()).matches(Pattern.compile("[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{14}"));
        assertThat(jdbc.queryForObject("select count(*) from event_feed where topic = 'coupons' and type = 'coupon.issued' "
                + "and (payload->>'couponId')::bigint = ?", Long.class, issued.getFirst().couponId())).isEqualTo(1);
    }

    @Test
    void bulkIssuanceToAListStopsAtTheCapAndARetryIssuesNothingTwice() throws Exception {
        CouponTemplate template = Spec.fixed(10_00).quantity(3).create(templates);
        List<Long> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(CouponFixtures.customer(customers));
        }
        String key = unique("segment-vip");
        ResponseEntity<String> first = apiPost("/api/v1/coupons/bulk",
                Map.of("templateId", template.id(), "customerIds", members, "issueKey", key));
        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(200);
        JsonNode a = json.readTree(first.getBody());
        assertThat(a.path("issued")).hasSize(3);
        assertThat(a.path("skipped")).hasSize(2);
        assertThat(a.path("skipped").get(0).path("reason").asText()).isEqualTo("QUANTITY_CAP");

        JsonNode b = json.readTree(apiPost("/api/v1/coupons/bulk",
                Map.of("templateId", template.id(), "customerIds", members, "issueKey", key)).getBody());
        assertThat(b.path("issued")).hasSize(3);
        b.path("issued").forEach(i -> assertThat(i.path("created").asBoolean()).isFalse());
        assertThat(issued(template)).isEqualTo(3);
    }

    @Test
    void aCustomersFirstPurchaseIssuesTheFirstPurchaseCouponOnce() throws Exception {
        CouponTemplate welcome = Spec.fixed(20_00).create(templates);
        assertThat(api(org.springframework.http.HttpMethod.PUT, "/api/v1/coupon-templates/" + welcome.id() + "/first-purchase",
                Map.of("enabled", true)).getStatusCode().value()).isEqualTo(200);
        Store store = CouponFixtures.store(catalog);
        String phone = CouponFixtures.phone();
        postSale(store, phone, unique("R"));
        postSale(store, phone, unique("R"));
        long customer = customers.find(app.regulars.customers.Identity.ofPhone(phone)).orElseThrow();

        await().atMost(Duration.ofSeconds(10)).until(() -> !coupons.ofCustomer(customer).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> coupons.ofCustomer(customer).size() == 1);
        CustomerCoupon coupon = coupons.ofCustomer(customer).getFirst();
        assertThat(coupon.templateId()).isEqualTo(welcome.id());
        assertThat(coupon.issuedVia()).isEqualTo("rule");
        templates.issueOnFirstPurchase(welcome.id(), false);
    }

    @Test
    void templateStatsCountIssuedRedeemedRevenueAndCost() throws Exception {
        CouponTemplate template = Spec.fixed(30_00).create(templates);
        Store store = CouponFixtures.store(catalog);
        String phone = CouponFixtures.phone();
        long customer = customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(phone), null, null);
        Issued used = coupons.issue(new Issue(template.id(), customer, unique("k"), "console"));
        coupons.issue(new Issue(template.id(), customer, unique("k"), "console"));
        String receiptNo = unique("R");
        ResponseEntity<String> redeemed = apiPost("/api/v1/till/redeem", Map.of("source", "pos-stats",
                "tillTransactionId", unique("T"), "receiptNo", receiptNo, "storeCode", store.code(),
                "customer", Map.of("phone", phone), "couponCodes", List.of(used.code()),
                "lines", List.of(Map.of("sku", "SKU-S", "quantity", 1, "unitPrice", "230.00"))));
        assertThat(redeemed.getStatusCode().value()).as(redeemed.getBody()).isEqualTo(201);
        apiPost("/api/v1/receipts", """
                {"source":"pos-stats","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-S","quantity":1,"unitPrice":"230.00","discount":"30.00"}]}"""
                .formatted(receiptNo, store.code(), phone));

        await().atMost(Duration.ofSeconds(10)).until(() -> templates.stats(template.id()).revenueCents() == 200_00);
        TemplateStats stats = templates.stats(template.id());
        assertThat(stats.issued()).isEqualTo(2);
        assertThat(stats.redeemed()).isEqualTo(1);
        assertThat(stats.redemptionRate()).isEqualTo(0.5);
        assertThat(stats.costCents()).isEqualTo(30_00);
    }

    private void postSale(Store store, String phone, String receiptNo) {
        ResponseEntity<String> r = apiPost("/api/v1/receipts", """
                {"source":"pos-first","receiptNo":"%s","storeCode":"%s","purchasedAt":"%s",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-F","quantity":1,"unitPrice":"99.00"}]}"""
                .formatted(receiptNo, store.code(), java.time.OffsetDateTime.now().withNano(0), phone));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
    }

    private boolean tryIssue(CouponTemplate template, long customer) {
        try {
            coupons.issue(new Issue(template.id(), customer, unique("k"), "api"));
            return true;
        } catch (ApiProblem refused) {
            assertThat(refused.errors().getFirst().reason()).isIn("QUANTITY_CAP", "BUDGET_CAP", "PER_CUSTOMER_LIMIT");
            return false;
        }
    }

    private long issued(CouponTemplate template) {
        return jdbc.queryForObject("select count(*) from coupon where template_id = ?", Long.class, template.id());
    }

    static <T> List<T> runTogether(List<Callable<T>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(calls.size(), 32))) {
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
