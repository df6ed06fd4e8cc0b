package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.coupons.CouponFixtures.Spec;
import app.regulars.customers.Customers;
import app.regulars.loyalty.LoyaltyProgram;
import app.regulars.loyalty.PointsAccounts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/** Points buy a coupon: the points go, the coupon comes, and a retry does neither twice. */
class PointsForCouponsTest extends IntegrationTest {

    @Autowired CouponTemplates templates;
    @Autowired Coupons coupons;
    @Autowired Customers customers;
    @Autowired PointsAccounts points;
    @Autowired LoyaltyProgram program;
    @Autowired ObjectMapper json;

    @Test
    void pointsBuyACouponOnceAlsoWhenTheTillRetries() throws Exception {
        CouponTemplate template = Spec.fixed(20_00).create(templates);
        program.saveCouponOffer(new LoyaltyProgram.CouponOffer(String.valueOf(template.id()), 500, true));
        long customer = CouponFixtures.customer(customers);
        points.award(customer, 800, "test", unique("seed"));
        String body = "{\"templateCode\":\"" + template.id() + "\",\"idempotencyKey\":\"" + unique("ex") + "\"}";

        ResponseEntity<String> first = apiPost("/api/v1/loyalty/customers/" + customer + "/coupon-exchanges", body);
        ResponseEntity<String> retry = apiPost("/api/v1/loyalty/customers/" + customer + "/coupon-exchanges", body);

        assertThat(first.getStatusCode().is2xxSuccessful()).as(first.getBody()).isTrue();
        JsonNode exchanged = json.readTree(first.getBody());
        assertThat(json.readTree(retry.getBody()).path("couponRef").asText()).isEqualTo(exchanged.path("couponRef").asText());
        assertThat(points.spendable(customer)).isEqualTo(300);
        assertThat(coupons.ofCustomer(customer)).singleElement()
                .satisfies(c -> assertThat(c.code()).isEqualTo(exchanged.path("couponRef").asText()));
    }

    @Test
    void aTemplateThatIsNotOnOfferCostsNothingAndIssuesNothing() {
        CouponTemplate template = Spec.fixed(20_00).create(templates);
        long customer = CouponFixtures.customer(customers);
        points.award(customer, 800, "test", unique("seed"));
        String body = "{\"templateCode\":\"" + template.id() + "\",\"idempotencyKey\":\"" + unique("ex") + "\"}";

        ResponseEntity<String> refused = apiPost("/api/v1/loyalty/customers/" + customer + "/coupon-exchanges", body);

        assertThat(refused.getStatusCode().is4xxClientError()).isTrue();
        assertThat(points.spendable(customer)).isEqualTo(800);
        assertThat(coupons.ofCustomer(customer)).isEmpty();
    }

    @Test
    void anOfferWhoseCodeIsNoTemplateIdIsRefusedNamingTheCodeAndSpendsNothing() {
        String code = unique("gift-card");
        program.saveCouponOffer(new LoyaltyProgram.CouponOffer(code, 100, true));
        long customer = CouponFixtures.customer(customers);
        points.award(customer, 800, "test", unique("seed"));
        String body = "{\"templateCode\":\"" + code + "\",\"idempotencyKey\":\"" + unique("ex") + "\"}";

        ResponseEntity<String> refused = apiPost("/api/v1/loyalty/customers/" + customer + "/coupon-exchanges", body);

        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(refused.getBody()).contains("templateCode").contains(code);
        assertThat(points.spendable(customer)).isEqualTo(800);
        assertThat(coupons.ofCustomer(customer)).isEmpty();
    }
}
