package app.regulars.loyalty;

import static app.regulars.loyalty.LoyaltyFixtures.phone;
import static app.regulars.loyalty.LoyaltyFixtures.refund;
import static app.regulars.loyalty.LoyaltyFixtures.sale;
import static app.regulars.loyalty.LoyaltyFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** Points earned from receipts posted to the API, as a till would, and what refunds and the till do to them. */
class PointsFromReceiptsTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired ObjectMapper json;
    @Autowired PointsLedger ledger;
    @Autowired PointsAccounts accounts;
    @Autowired JdbcTemplate jdbc;

    String source;
    String store;
    /** Out of the return window (7 days by default), and of the console overview's 30 days (other tests count its stores). */
    final Instant weeksAgo = Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void store() {
        source = unique("pos");
        store = unique("LY");
        StoreFixtures.create(catalog, store);
    }

    @Test
    void aReceiptEarnsOnePointPerYuanOfTheAmountAfterDiscounts() throws Exception {
        long customer = post(sale(source, "R-1", store, phone(), weeksAgo, "SKU-A:2:99.50", "SKU-B:1:0.99"));

        awaitBalance(customer, 199);
        PointsLedger.Account account = ledger.account(customer);
        assertThat(account.spendable()).isEqualTo(199);
        assertThat(account.pending()).isZero();
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    @Test
    void theSameReceiptPostedTwiceEarnsOnce() throws Exception {
        String phone = phone();
        String body = sale(source, "R-1", store, phone, weeksAgo, "SKU-A:1:120.00");
        ResponseEntity<String> first = apiPost("/api/v1/receipts", body);
        ResponseEntity<String> again = apiPost("/api/v1/receipts", body); // the POS reconnecting
        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        long customer = json.readTree(first.getBody()).path("customerId").asLong();
        long receipt = json.readTree(first.getBody()).path("receiptId").asLong();
        // A later receipt is applied after anything the retry could have caused.
        post(sale(source, "R-2", store, phone, weeksAgo, "SKU-A:1:5.00"));

        awaitBalance(customer, 125);
        assertThat(jdbc.queryForObject("select count(*) from points_entry where receipt_id = ? and kind = 'earn'",
                Integer.class, receipt)).isEqualTo(1);
    }

    @Test
    void aPartialRefundReversesItsShareOfTheReceiptsPoints() throws Exception {
        String phone = phone();
        long customer = post(sale(source, "R-1", store, phone, weeksAgo, "SKU-A:2:100.00", "SKU-B:1:50.00"));
        awaitBalance(customer, 250);

        post(refund(source, "F-1", "R-1", store, weeksAgo.plusSeconds(3600), "SKU-A:1:100.00"));
        awaitBalance(customer, 150);

        post(refund(source, "F-2", "R-1", store, weeksAgo.plusSeconds(7200), "SKU-A:1:100.00", "SKU-B:1:50.00"));
        awaitBalance(customer, 0);
        assertThat(ledger.entries(customer, 10)).extracting(PointsLedger.Entry::kind)
                .containsExactly("reverse", "reverse", "earn");
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    @Test
    void aBatchOfReceiptsEarnsReceiptByReceiptAndRefundsTakeBackExactlyTheirSharePerSku() throws Exception {
        String a = phone();
        String b = phone();
        // One call, so the consumer reads the four in one batch; a's second receipt ends the first run.
        JsonNode results = json.readTree(apiPost("/api/v1/receipts", "{\"receipts\":["
                + sale(source, "R-1", store, a, weeksAgo, "SKU-A:2:100.00", "SKU-B:1:50.00", "SKU-A:1:10.00") + ","
                + sale(source, "R-2", store, b, weeksAgo, "SKU-C:3:33.33") + ","
                + sale(source, "R-3", store, a, weeksAgo.plusSeconds(60), "SKU-B:1:2000.00") + ","
                + sale(source, "R-4", store, b, weeksAgo.plusSeconds(60), "SKU-A:1:0.99") + "]}").getBody()).path("results");
        long customerA = results.path(0).path("customerId").asLong();
        long customerB = results.path(1).path("customerId").asLong();
        long first = results.path(0).path("receiptId").asLong();

        awaitBalance(customerA, 2260); // and silver (¥2,000 in 12 months) on its second receipt
        awaitBalance(customerB, 99); // 99.99 points, then 0.99: rounded down per receipt
        assertThat(jdbc.queryForList("select remaining from points_lot where customer_id = ? order by id", Long.class, customerA))
                .containsExactly(260L, 2000L);
        assertThat(jdbc.queryForList("""
                select (payload->>'balance')::int from event_feed where topic = 'loyalty' and type = 'points.earned'
                  and customer_id = ? order by id""", Integer.class, customerA)).containsExactly(260, 2260);
        assertThat(jdbc.queryForList("""
                select type || ' ' || coalesce(payload->>'to', '') from event_feed where topic = 'loyalty' and customer_id = ?
                order by id""", String.class, customerA)).containsExactly("points.earned ", "points.earned ", "tier.changed silver");
        assertThat(jdbc.queryForObject("""
                select tier_code || ' ' || (tier_review_on - current_date between 364 and 367) from points_account
                where customer_id = ?""", String.class, customerA)).isEqualTo("silver true");
        assertThat(jdbc.queryForObject("select count(*) from points_entry where customer_id = ?", Integer.class, customerB))
                .as("a receipt that earns nothing has no entry").isEqualTo(1);
        assertThat(jdbc.queryForObject("select first_receipt_id from points_account where customer_id = ?", Long.class,
                customerA)).isEqualTo(first);
        assertThat(jdbc.queryForObject("select sum(spend_cents) from tier_activity where customer_id = ?", Long.class,
                customerB)).isEqualTo(100_98);
        assertThat(jdbc.queryForObject("select sku_amount_cents::text || sku_points_milli::text from receipt_earning where receipt_id = ?",
                String.class, first)).isEqualTo("{21000,5000}{210000,50000}");

        post(refund(source, "F-1", "R-1", store, weeksAgo.plusSeconds(3600), "SKU-A:1:100.00"));
        awaitBalance(customerA, 2160); // 100.00 of SKU-A's 210.00
        post(refund(source, "F-2", "R-1", store, weeksAgo.plusSeconds(7200), "SKU-A:1:110.00", "SKU-B:1:50.00"));
        awaitBalance(customerA, 2000);
        assertThat(jdbc.queryForObject("select sku_refunded_cents::text from receipt_earning where receipt_id = ?", String.class,
                first)).isEqualTo("{21000,5000}");
        assertThat(jdbc.queryForObject("select sum(spend_cents) from tier_activity where customer_id = ?", Long.class,
                customerA)).isEqualTo(2000_00);
        assertThat(ledger.verify(customerA).problems()).isEmpty();
        assertThat(ledger.verify(customerB).problems()).isEmpty();
    }

    @Test
    void aRefundOfPointsAlreadySpentRecordsTheShortfallAndKeepsTheBalanceAtZero() throws Exception {
        long customer = post(sale(source, "R-1", store, phone(), weeksAgo, "SKU-A:1:300.00"));
        awaitBalance(customer, 300);
        assertThat(accounts.spend(customer, 250, "a gift", unique("spend"))).isTrue();

        post(refund(source, "F-1", "R-1", store, weeksAgo.plusSeconds(3600), "SKU-A:1:300.00"));

        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.account(customer).shortfall() == 250);
        PointsLedger.Account account = ledger.account(customer);
        assertThat(account.balance()).isZero();
        PointsLedger.Entry reversal = ledger.entries(customer, 1).getFirst();
        assertThat(reversal.kind()).isEqualTo("reverse");
        assertThat(reversal.points()).isEqualTo(-50);
        assertThat(reversal.detail()).containsEntry("owed", 300).containsEntry("shortfall", 250);
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    @Test
    void pointsOfAFreshReceiptArePendingThroughTheReturnWindow() throws Exception {
        long customer = post(sale(source, "R-1", store, phone(), Instant.now().minusSeconds(3600), "SKU-A:1:100.00"));

        awaitBalance(customer, 100);
        PointsLedger.Account account = ledger.account(customer);
        assertThat(account.pending()).isEqualTo(100);
        assertThat(account.spendable()).isZero();
        assertThat(accounts.spend(customer, 1, "too early", unique("spend"))).isFalse();
    }

    @Test
    void theTillsCashOffsetIsIdempotentAndComesBackWhenItsReceiptIsRefunded() throws Exception {
        String phone = phone();
        long customer = post(sale(source, "R-1", store, phone, weeksAgo, "SKU-A:1:1000.00"));
        awaitBalance(customer, 1000);
        Map<String, Object> redeem = Map.of("customerId", customer, "source", source, "transactionId", "R-2",
                "points", 500, "basketCents", 20000);

        ResponseEntity<String> first = apiPost("/api/v1/loyalty/redeem", redeem);
        ResponseEntity<String> retry = apiPost("/api/v1/loyalty/redeem", redeem);

        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(201);
        assertThat(retry.getStatusCode().value()).as(retry.getBody()).isEqualTo(200);
        assertThat(json.readTree(first.getBody()).path("cents").asLong()).isEqualTo(500);
        assertThat(json.readTree(retry.getBody()).path("points").asLong()).isEqualTo(500);
        assertThat(ledger.account(customer).balance()).isEqualTo(500);

        post(sale(source, "R-2", store, phone, weeksAgo.plusSeconds(60), "SKU-A:1:195.00"));
        awaitBalance(customer, 695);
        post(refund(source, "F-2", "R-2", store, weeksAgo.plusSeconds(120), "SKU-A:1:195.00"));
        awaitBalance(customer, 1000);
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    @Test
    void theCashOffsetIsCappedPerBasket() throws Exception {
        long customer = post(sale(source, "R-1", store, phone(), weeksAgo, "SKU-A:1:1000.00"));
        awaitBalance(customer, 1000);

        // Half of a ¥10.00 basket at 100 points per yuan: at most 500 points.
        ResponseEntity<String> over = apiPost("/api/v1/loyalty/redeem", Map.of("customerId", customer, "source", source,
                "transactionId", unique("T"), "points", 501, "basketCents", 1000));
        ResponseEntity<String> most = apiPost("/api/v1/loyalty/redeem", Map.of("customerId", customer, "source", source,
                "transactionId", unique("T"), "basketCents", 1000));

        assertThat(over.getStatusCode().value()).isEqualTo(422);
        assertThat(field(over)).isEqualTo("points");
        assertThat(json.readTree(most.getBody()).path("points").asLong()).isEqualTo(500);
    }

    @Test
    void aReceiptThatCrossesATierThresholdUpgradesAtOnce() throws Exception {
        String phone = phone();
        long customer = post(sale(source, "R-1", store, phone, weeksAgo, "SKU-A:1:1500.00"));
        awaitBalance(customer, 1500);
        assertThat(ledger.account(customer).tierCode()).isEqualTo("basic");

        post(sale(source, "R-2", store, phone, weeksAgo.plusSeconds(60), "SKU-A:1:600.00"));

        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.account(customer).tierCode().equals("silver"));
        assertThat(jdbc.queryForObject("""
                select count(*) from event_feed where topic = 'loyalty' and type = 'tier.changed' and customer_id = ?
                  and payload->>'to' = 'silver'""", Integer.class, customer)).isEqualTo(1);
        ResponseEntity<String> till = apiGet("/api/v1/loyalty/customers/" + customer);
        JsonNode status = json.readTree(till.getBody()).path("status");
        assertThat(status.path("tierCode").asText()).isEqualTo("silver");
        assertThat(status.path("discountBasisPoints").asInt()).isEqualTo(200);
        assertThat(status.path("spendable").asLong()).isEqualTo(2100);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndTheReason() throws Exception {
        long customer = post(sale(source, "R-1", store, phone(), weeksAgo, "SKU-A:1:10.00"));
        String adjust = "/api/v1/loyalty/customers/" + customer + "/adjustments";

        ResponseEntity<String> zero = apiPost(adjust, Map.of("points", 0, "reason", "x", "idempotencyKey", unique("k")));
        ResponseEntity<String> absurd = apiPost(adjust, Map.of("points", 1_000_000_000_000L, "reason", "x",
                "idempotencyKey", unique("k")));
        ResponseEntity<String> noReason = apiPost(adjust, Map.of("points", 5, "idempotencyKey", unique("k")));
        ResponseEntity<String> unknown = apiPost("/api/v1/loyalty/customers/999999999999/adjustments",
                Map.of("points", 5, "reason", "x", "idempotencyKey", unique("k")));
        ResponseEntity<String> negativeBasket = apiPost("/api/v1/loyalty/redeem", Map.of("customerId", customer,
                "source", source, "transactionId", "T-1", "basketCents", -100));
        ResponseEntity<String> notANumber = apiPost(adjust, "{\"points\":\"lots\",\"reason\":\"x\",\"idempotencyKey\":\"k\"}");
        ResponseEntity<String> overdraft = apiPost(adjust, Map.of("points", -1000, "reason", "x", "idempotencyKey", unique("k")));

        assertThat(zero.getStatusCode().value()).isEqualTo(400);
        assertThat(field(zero)).isEqualTo("points");
        assertThat(absurd.getStatusCode().value()).isEqualTo(400);
        assertThat(field(absurd)).isEqualTo("points");
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        assertThat(field(noReason)).isEqualTo("reason");
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(field(unknown)).isEqualTo("customerId");
        assertThat(negativeBasket.getStatusCode().value()).isEqualTo(400);
        assertThat(field(negativeBasket)).isEqualTo("basketCents");
        assertThat(notANumber.getStatusCode().value()).isEqualTo(400);
        assertThat(field(notANumber)).isEqualTo("points");
        assertThat(overdraft.getStatusCode().value()).isEqualTo(422);
        assertThat(field(overdraft)).isEqualTo("points");
    }

    @Test
    void aManualAdjustmentIsRecordedWithItsReasonOnce() throws Exception {
        long customer = post(sale(source, "R-1", store, phone(), weeksAgo, "SKU-A:1:10.00"));
        awaitBalance(customer, 10);
        Map<String, Object> body = Map.of("points", 90, "reason", "goodwill", "idempotencyKey", unique("k"));

        assertThat(api(HttpMethod.POST, "/api/v1/loyalty/customers/" + customer + "/adjustments", body)
                .getStatusCode().value()).isEqualTo(201);
        apiPost("/api/v1/loyalty/customers/" + customer + "/adjustments", body);

        assertThat(ledger.account(customer).balance()).isEqualTo(100);
        assertThat(ledger.entries(customer, 1).getFirst().reason()).isEqualTo("goodwill");
    }

    private long post(String body) throws Exception {
        ResponseEntity<String> r = apiPost("/api/v1/receipts", body);
        assertThat(r.getStatusCode().is2xxSuccessful()).as(r.getBody()).isTrue();
        return json.readTree(r.getBody()).path("customerId").asLong();
    }

    private void awaitBalance(long customer, long points) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ledger.account(customer).balance()).isEqualTo(points));
    }

    private String field(ResponseEntity<String> r) throws Exception {
        return json.readTree(r.getBody()).path("errors").path(0).path("field").asText();
    }
}
