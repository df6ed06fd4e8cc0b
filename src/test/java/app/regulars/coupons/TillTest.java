package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.coupons.CouponFixtures.Spec;
import app.regulars.customers.Customers;
import app.regulars.customers.Duplicates;
import app.regulars.loyalty.PointsLedger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

class TillTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired Customers customers;
    @Autowired Duplicates duplicates;
    @Autowired CouponTemplates templates;
    @Autowired Coupons coupons;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;
    @Autowired PointsLedger ledger;

    Store store;
    long customer;
    String phone;

    @BeforeEach
    void setUp() {
        store = CouponFixtures.store(catalog);
        phone = CouponFixtures.phone();
        customer = customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(phone), null, null);
    }

    @Test
    void hundredConcurrentRedemptionsOfOneSingleUseCouponLetExactlyOneSucceed() throws Exception {
        Issued coupon = issue(Spec.fixed(1000).create(templates), customer);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ResponseEntity<String>>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(100)) {
            for (int i = 0; i < 100; i++) {
                String txn = unique("T");
                calls.add(pool.submit(() -> {
                    start.await();
                    return apiPost("/api/v1/till/redeem", redeem(txn, unique("R"), List.of(coupon.code())));
                }));
            }
            start.countDown();
            int created = 0;
            int used = 0;
            for (Future<ResponseEntity<String>> call : calls) {
                ResponseEntity<String> r = call.get();
                if (r.getStatusCode().value() == 201) {
                    created++;
                } else {
                    assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
                    assertThat(json.readTree(r.getBody()).path("errors").get(0).path("reason").asText())
                            .isEqualTo("COUPON_ALREADY_USED");
                    used++;
                }
            }
            assertThat(created).isEqualTo(1);
            assertThat(used).isEqualTo(99);
        }
        assertThat(jdbc.queryForObject("select count(*) from coupon_redemption_line where coupon_id = ?", Long.class,
                coupon.couponId())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from event_feed where type = 'coupon.redeemed' "
                + "and (payload->>'couponId')::bigint = ?", Long.class, coupon.couponId())).isEqualTo(1);
    }

    /**
     * A till keeps the customer id it was given at the start of a sale; a merge may have moved that
     * customer (and their coupons) to a survivor since. The redemption belongs to the survivor, whose
     * coupons these now are, and is not left behind under the merged id.
     */
    @Test
    void aTillThatStillKnowsAMergedCustomerRedeemsForTheSurvivor() throws Exception {
        Issued coupon = issue(Spec.fixed(1500).create(templates), customer);
        long survivor = CouponFixtures.customer(customers);
        duplicates.merge(survivor, customer);
        Map<String, Object> asked = quote(List.of(), 400_00);
        asked.put("customer", Map.of("customerId", customer));
        JsonNode quoted = json.readTree(apiPost("/api/v1/till/quote", asked).getBody());
        assertThat(quoted.path("customerId").asLong()).isEqualTo(survivor);
        assertThat(quoted.path("coupons").findValuesAsText("code")).containsExactly(coupon.code());
        Map<String, Object> body = redeem(unique("T"), unique("R"), List.of(coupon.code()));
        body.put("customer", Map.of("customerId", customer));

        ResponseEntity<String> redeemed = apiPost("/api/v1/till/redeem", body);

        assertThat(redeemed.getStatusCode().value()).as(redeemed.getBody()).isEqualTo(201);
        JsonNode answer = json.readTree(redeemed.getBody());
        assertThat(answer.path("customerId").asLong()).isEqualTo(survivor);
        assertThat(answer.path("discountCents").asLong()).isEqualTo(1500);
        assertThat(jdbc.queryForObject("select customer_id from coupon_redemption where id = ?", Long.class,
                answer.path("redemptionId").asLong())).isEqualTo(survivor);
    }

    @Test
    void aCustomerIdNoOneHasIsRefusedNamingTheCustomerAndRedeemsNothing() throws Exception {
        Issued coupon = issue(Spec.fixed(1500).create(templates), customer);
        String txn = unique("T");
        Map<String, Object> body = redeem(txn, unique("R"), List.of(coupon.code()));
        body.put("customer", Map.of("customerId", 999_999_999L));

        ResponseEntity<String> refused = apiPost("/api/v1/till/redeem", body);

        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(422);
        assertThat(json.readTree(refused.getBody()).path("errors").findValuesAsText("field")).containsExactly("customer");
        assertThat(jdbc.queryForObject("select count(*) from coupon_redemption where till_txn_id = ?", Long.class, txn))
                .isZero();
        assertThat(jdbc.queryForObject("select status from coupon where code = ?", String.class, coupon.code()))
                .isEqualTo("active");
    }

    @Test
    void aRetriedRedemptionWithTheSameTillTransactionHasOneEffectAndTheFirstAnswer() throws Exception {
        Issued coupon = issue(Spec.fixed(1500).create(templates), customer);
        String txn = unique("T");
        Map<String, Object> body = redeem(txn, unique("R"), List.of(coupon.code()));
        List<Future<ResponseEntity<String>>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> apiPost("/api/v1/till/redeem", body)));
            }
        }
        ResponseEntity<String> later = apiPost("/api/v1/till/redeem", body);
        List<JsonNode> answers = new ArrayList<>();
        int created = 0;
        for (Future<ResponseEntity<String>> call : calls) {
            ResponseEntity<String> r = call.get();
            assertThat(r.getStatusCode().value()).as(r.getBody()).isIn(200, 201);
            created += r.getStatusCode().value() == 201 ? 1 : 0;
            answers.add(json.readTree(r.getBody()));
        }
        assertThat(created).isEqualTo(1);
        assertThat(later.getStatusCode().value()).isEqualTo(200);
        JsonNode replay = json.readTree(later.getBody());
        assertThat(replay.path("replayed").asBoolean()).isTrue();
        for (JsonNode a : answers) {
            assertThat(a.path("redemptionId").asLong()).isEqualTo(replay.path("redemptionId").asLong());
            assertThat(a.path("discountCents").asLong()).isEqualTo(1500);
        }
        assertThat(jdbc.queryForObject("select count(*) from coupon_redemption where till_txn_id = ?", Long.class, txn))
                .isEqualTo(1);
    }

    @Test
    void aFullRefundOfTheReceiptGivesTheCouponBackAndAPartialOneDoesNot() throws Exception {
        Issued whole = issue(Spec.fixed(2000).create(templates), customer);
        Issued part = issue(Spec.fixed(1000).create(templates), customer);
        String source = unique("pos");
        String r1 = unique("R");
        String r2 = unique("R");
        assertThat(apiPost("/api/v1/till/redeem", redeem(source, unique("T"), r1, List.of(whole.code()))).getStatusCode().value())
                .isEqualTo(201);
        assertThat(apiPost("/api/v1/till/redeem", redeem(source, unique("T"), r2, List.of(part.code()))).getStatusCode().value())
                .isEqualTo(201);
        // The till posts the receipts (two lines each, net of the coupon's share), then refunds them.
        postReceipt(source, r1, whole.code());
        postReceipt(source, r2, part.code());
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from coupon_redemption where source = ? and receipt_id is not null", Long.class, source) == 2);
        assertThat(apiPost("/api/v1/receipts", refund(source, r1, 2)).getStatusCode().value()).isEqualTo(201);
        assertThat(apiPost("/api/v1/receipts", refund(source, r2, 1)).getStatusCode().value()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(whole).equals("active"));
        JsonNode quote = json.readTree(apiPost("/api/v1/till/quote", quote(List.of(whole.code(), part.code()), 100_00)).getBody());
        assertThat(reason(quote, whole.code())).isEqualTo("applicable");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> status(part).equals("redeemed"));
        assertThat(reason(quote, part.code())).isEqualTo("COUPON_ALREADY_USED");
        assertThat(jdbc.queryForObject("select count(*) from event_feed where type = 'coupon.reversed' "
                + "and (payload->>'couponId')::bigint = ?", Long.class, whole.couponId())).isEqualTo(1);
    }

    @Test
    void eachCouponThatCannotBeUsedSaysWhy() throws Exception {
        long other = CouponFixtures.customer(customers);
        Store elsewhere = CouponFixtures.store(catalog);
        Instant now = Instant.now();
        Issued foreign = issue(Spec.fixed(500).create(templates), other);
        Issued used = issue(Spec.fixed(500).create(templates), customer);
        assertThat(apiPost("/api/v1/till/redeem", redeem(unique("T"), unique("R"), List.of(used.code())))
                .getStatusCode().value()).isEqualTo(201);
        Issued early = issue(Spec.fixed(500).between(now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(9)))
                .create(templates), customer);
        Issued expired = issue(Spec.fixed(500).create(templates), customer);
        jdbc.update("update coupon set valid_until = now() - interval '1 day' where id = ?", expired.couponId());
        Issued otherStore = issue(Spec.fixed(500).stores(elsewhere.id()).create(templates), customer);
        Issued otherCategory = issue(Spec.fixed(500).categories(unique("cat")).create(templates), customer);
        Issued threshold = issue(Spec.threshold(500_00, 50_00).create(templates), customer);

        JsonNode quote = json.readTree(apiPost("/api/v1/till/quote", quote(List.of("NOSUCHCODE2345", foreign.code(),
                used.code()), 100_00)).getBody());

        assertThat(reason(quote, "NOSUCHCODE2345")).isEqualTo("UNKNOWN_CODE");
        assertThat(reason(quote, foreign.code())).isEqualTo("COUPON_NOT_OWNED");
        assertThat(reason(quote, used.code())).isEqualTo("COUPON_ALREADY_USED");
        assertThat(reason(quote, early.code())).isEqualTo("COUPON_NOT_YET_VALID");
        assertThat(reason(quote, expired.code())).isEqualTo("COUPON_EXPIRED");
        assertThat(reason(quote, otherStore.code())).isEqualTo("COUPON_OUT_OF_SCOPE");
        assertThat(reason(quote, otherCategory.code())).isEqualTo("COUPON_OUT_OF_SCOPE");
        assertThat(reason(quote, threshold.code())).isEqualTo("THRESHOLD_NOT_MET");

        // Redeeming says the same, per coupon; and two exclusive coupons together are not stackable.
        Issued a = issue(Spec.fixed(500).create(templates), customer);
        Issued b = issue(Spec.fixed(700).create(templates), customer);
        assertThat(refusal(redeem(unique("T"), unique("R"), List.of(a.code(), b.code())))).isEqualTo("NOT_STACKABLE");
        assertThat(refusal(redeem(unique("T"), unique("R"), List.of(foreign.code())))).isEqualTo("COUPON_NOT_OWNED");
        assertThat(refusal(redeem(unique("T"), unique("R"), List.of(expired.code())))).isEqualTo("COUPON_EXPIRED");
        assertThat(refusal(redeem(unique("T"), unique("R"), List.of("NOSUCHCODE2345")))).isEqualTo("UNKNOWN_CODE");
        assertThat(refusal(redeem(unique("T"), unique("R"), List.of(threshold.code())))).isEqualTo("THRESHOLD_NOT_MET");
        assertThat(status(a)).isEqualTo("active");
    }

    @Test
    void theQuoteChoosesTheBestTierAndTheBestStackableCombination() throws Exception {
        CouponTemplate tiered = Spec.threshold(200_00, 20_00, 500_00, 80_00).stacking("any").create(templates);
        CouponTemplate fixed = Spec.fixed(10_00).stacking("any").create(templates);
        CouponTemplate percent = Spec.percent(15, 100_00L).create(templates); // exclusive
        Issued t = issue(tiered, customer);
        Issued f = issue(fixed, customer);
        Issued p = issue(percent, customer);

        // ¥520: 满500减80 + ¥10 = ¥90 beats 15% = ¥78 alone.
        JsonNode big = json.readTree(apiPost("/api/v1/till/quote", quote(List.of(), 520_00)).getBody());
        assertThat(codes(big)).containsExactlyInAnyOrder(t.code(), f.code());
        assertThat(big.path("best").path("discountCents").asLong()).isEqualTo(90_00);
        assertThat(big.path("best").path("payCents").asLong()).isEqualTo(430_00);
        assertThat(reason(big, p.code())).isEqualTo("NOT_STACKABLE");
        assertThat(coupon(big, t.code()).path("discountCents").asLong()).isEqualTo(80_00);

        // ¥480: 满200减20 + ¥10 = ¥30 loses to 15% = ¥72.
        JsonNode mid = json.readTree(apiPost("/api/v1/till/quote", quote(List.of(), 480_00)).getBody());
        assertThat(codes(mid)).containsExactly(p.code());
        assertThat(mid.path("best").path("discountCents").asLong()).isEqualTo(72_00);
        assertThat(reason(mid, t.code())).isEqualTo("NOT_STACKABLE");

        // ¥150: no tier reached; ¥10 + nothing vs 15% = ¥22.50.
        JsonNode small = json.readTree(apiPost("/api/v1/till/quote", quote(List.of(), 150_00)).getBody());
        assertThat(reason(small, t.code())).isEqualTo("THRESHOLD_NOT_MET");
        assertThat(codes(small)).containsExactly(p.code());
        assertThat(small.path("best").path("discountCents").asLong()).isEqualTo(22_50);
        assertThat(small.path("points").path("spendable").asLong()).isZero();
    }

    @Test
    void aGoldMembersTierDiscountIsTakenFromWhatTheCouponsLeaveAndRedeemSaysTheSame() throws Exception {
        ledger.setManualTier(customer, "gold", Instant.now().plus(Duration.ofDays(30)), "a gold member for the test");
        Issued coupon = issue(Spec.fixed(50_00).create(templates), customer);

        // ¥333.33 less the ¥50 coupon leaves ¥283.33; 5 % of that is ¥14.1665, rounded down to ¥14.16.
        JsonNode quote = json.readTree(apiPost("/api/v1/till/quote", quote(List.of(), 333_33)).getBody());
        assertThat(codes(quote)).containsExactly(coupon.code());
        assertThat(quote.path("best").path("payCents").asLong()).as("before the tier discount").isEqualTo(283_33);
        JsonNode tier = quote.path("tier");
        assertThat(tier.path("code").asText()).isEqualTo("gold");
        assertThat(tier.path("discountBasisPoints").asInt()).isEqualTo(500);
        assertThat(tier.path("discountCents").asLong()).isEqualTo(14_16);
        assertThat(quote.path("payCents").asLong()).isEqualTo(269_17);

        Map<String, Object> body = quote(List.of(coupon.code()), 333_33);
        body.put("source", "pos-test");
        body.put("tillTransactionId", unique("T"));
        body.put("receiptNo", unique("R"));
        ResponseEntity<String> redeemed = apiPost("/api/v1/till/redeem", body);
        assertThat(redeemed.getStatusCode().value()).as(redeemed.getBody()).isEqualTo(201);
        JsonNode r = json.readTree(redeemed.getBody());
        assertThat(r.path("discountCents").asLong()).isEqualTo(50_00);
        assertThat(r.path("tier").path("discountCents").asLong()).isEqualTo(14_16);
        assertThat(r.path("payCents").asLong()).isEqualTo(269_17);
        JsonNode replay = json.readTree(apiPost("/api/v1/till/redeem", body).getBody());
        assertThat(replay.path("replayed").asBoolean()).isTrue();
        assertThat(replay.path("payCents").asLong()).isEqualTo(269_17);
    }

    @Test
    void aBasicMemberPaysWhatTheCouponsLeave() throws Exception {
        issue(Spec.fixed(10_00).create(templates), customer);
        JsonNode quote = json.readTree(apiPost("/api/v1/till/quote", quote(List.of(), 100_00)).getBody());
        assertThat(quote.path("tier").path("discountBasisPoints").asInt()).isZero();
        assertThat(quote.path("tier").path("discountCents").asLong()).isZero();
        assertThat(quote.path("payCents").asLong()).isEqualTo(90_00);
    }

    @Test
    void badInputIsRefusedNamingTheField() throws Exception {
        Map<String, Object> negative = quote(List.of(), 100_00);
        line(negative).put("unitPrice", "-5.00");
        assertField(apiPost("/api/v1/till/quote", negative), 400, "lines[0].unitPrice");

        Map<String, Object> absurd = quote(List.of(), 100_00);
        line(absurd).put("unitPrice", "99999999999.00");
        assertField(apiPost("/api/v1/till/quote", absurd), 400, "lines[0].unitPrice");

        Map<String, Object> zero = quote(List.of(), 100_00);
        line(zero).put("quantity", 0);
        assertField(apiPost("/api/v1/till/quote", zero), 400, "lines[0].quantity");

        Map<String, Object> noTxn = redeem(null, unique("R"), List.of("ABCDEFGHJKLMNP"));
        assertField(apiPost("/api/v1/till/redeem", noTxn), 400, "tillTransactionId");

        Map<String, Object> noStore = quote(List.of(), 100_00);
        noStore.put("storeCode", unique("nostore"));
        assertField(apiPost("/api/v1/till/quote", noStore), 422, "storeCode");

        assertField(apiPost("/api/v1/coupon-templates", Map.of("name", "x", "kind", "percent", "percentOff", 150,
                "validDays", 10)), 400, "percentOff");
        assertField(apiPost("/api/v1/coupon-templates", Map.of("name", "x", "kind", "fixed", "amountCents", -100,
                "validDays", 10)), 400, "amountCents");
        assertField(apiPost("/api/v1/coupon-templates", Map.of("name", "x", "kind", "threshold",
                "tiers", List.of(Map.of("minCents", 100_00, "offCents", 200_00)), "validDays", 10)), 400, "tiers[0].offCents");
        assertField(apiPost("/api/v1/coupon-templates", Map.of("name", "x", "kind", "fixed", "amountCents", 100)),
                400, "validUntil");
        assertField(apiPost("/api/v1/coupons", Map.of("templateId", 1, "customerId", customer)), 400, "issueKey");
    }

    // ---- helpers

    private Issued issue(CouponTemplate template, long owner) {
        return coupons.issue(new Issue(template.id(), owner, unique("k"), "api"));
    }

    private String status(Issued coupon) {
        return jdbc.queryForObject("select status from coupon where id = ?", String.class, coupon.couponId());
    }

    private Map<String, Object> quote(List<String> codes, long cents) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("storeCode", store.code());
        body.put("customer", Map.of("phone", phone));
        Map<String, Object> line = new HashMap<>();
        line.put("sku", "SKU-C1");
        line.put("category", "general");
        line.put("quantity", 1);
        line.put("unitPrice", java.math.BigDecimal.valueOf(cents, 2).toPlainString());
        body.put("lines", new ArrayList<>(List.of(line)));
        body.put("couponCodes", codes);
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> line(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("lines")).getFirst();
    }

    private Map<String, Object> redeem(String txn, String receiptNo, List<String> codes) {
        return redeem("pos-test", txn, receiptNo, codes);
    }

    private Map<String, Object> redeem(String source, String txn, String receiptNo, List<String> codes) {
        Map<String, Object> body = quote(codes, 400_00);
        body.put("source", source);
        if (txn != null) {
            body.put("tillTransactionId", txn);
        }
        body.put("receiptNo", receiptNo);
        return body;
    }

    private void postReceipt(String source, String receiptNo, String code) {
        String body = """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},
                 "lines":[{"sku":"SKU-C1","quantity":1,"unitPrice":"200.00","discount":"5.00","couponCode":"%s"},
                          {"sku":"SKU-C2","quantity":1,"unitPrice":"200.00","discount":"5.00","couponCode":"%s"}]}"""
                .formatted(source, receiptNo, store.code(), phone, code, code);
        ResponseEntity<String> r = apiPost("/api/v1/receipts", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
    }

    private String refund(String source, String original, int lines) {
        String refundLines = lines == 2
                ? """
                  [{"sku":"SKU-C1","quantity":1,"unitPrice":"195.00"},{"sku":"SKU-C2","quantity":1,"unitPrice":"195.00"}]"""
                : """
                  [{"sku":"SKU-C1","quantity":1,"unitPrice":"195.00"}]""";
        return """
                {"source":"%s","receiptNo":"%s","kind":"refund","originalReceiptNo":"%s","reasonCode":"size",
                 "storeCode":"%s","purchasedAt":"2026-11-12T10:00:00+08:00","lines":%s}"""
                .formatted(source, unique("RF"), original, store.code(), refundLines);
    }

    private String refusal(Map<String, Object> body) throws Exception {
        ResponseEntity<String> r = apiPost("/api/v1/till/redeem", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
        return json.readTree(r.getBody()).path("errors").get(0).path("reason").asText();
    }

    private void assertField(ResponseEntity<String> r, int status, String field) throws Exception {
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(status);
        JsonNode errors = json.readTree(r.getBody()).path("errors");
        List<String> fields = new ArrayList<>();
        errors.forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as(r.getBody()).contains(field);
        errors.forEach(e -> assertThat(e.path("reason").asText()).isNotBlank());
    }

    private static JsonNode coupon(JsonNode quote, String code) {
        for (JsonNode c : quote.path("coupons")) {
            if (c.path("code").asText().equals(code)) {
                return c;
            }
        }
        throw new AssertionError("coupon " + code + " not in quote " + quote);
    }

    /** The reason a coupon is not applicable, or "applicable". */
    private static String reason(JsonNode quote, String code) {
        JsonNode c = coupon(quote, code);
        if (c.path("applicable").asBoolean() && c.path("reason").isNull()) {
            return "applicable";
        }
        return c.path("reason").asText();
    }

    private static List<String> codes(JsonNode quote) {
        List<String> codes = new ArrayList<>();
        quote.path("best").path("couponCodes").forEach(c -> codes.add(c.asText()));
        return codes;
    }
}
