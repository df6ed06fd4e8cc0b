package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.access.ApiKeys;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.customers.Customers;
import app.regulars.insights.Segments;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code POST /api/v1/coupons/bulk} with a saved segment: its members now, one coupon each, once. */
class SegmentIssuanceTest extends IntegrationTest {

    @Autowired Customers customers;
    @Autowired CouponTemplates templates;
    @Autowired Coupons coupons;
    @Autowired Segments segments;
    @Autowired Catalog catalog;
    @Autowired ApiKeys keys;
    @Autowired ObjectMapper json;
    @Autowired JdbcTemplate jdbc;

    @Test
    void everyMemberOfTheSegmentGetsOneCouponAndARetryIssuesNothingNew() throws Exception {
        Audience audience = audience(3);
        List<Long> members = audience.members();
        long segment = audience.segmentId();
        CouponTemplate template = CouponFixtures.Spec.fixed(10_00).create(templates);
        Map<String, Object> body = Map.of("templateId", template.id(), "segmentId", segment, "issueKey", unique("seg"));

        JsonNode first = json.readTree(apiPost("/api/v1/coupons/bulk", body).getBody());
        assertThat(first.path("created").asLong()).isEqualTo(3);
        assertThat(first.path("skipped")).isEmpty();
        for (long customer : members) {
            assertThat(coupons.ofCustomer(customer)).extracting(CustomerCoupon::templateId).containsExactly(template.id());
        }

        JsonNode retry = json.readTree(apiPost("/api/v1/coupons/bulk", body).getBody());
        assertThat(retry.path("created").asLong()).isZero();
        assertThat(retry.path("alreadyIssued").asLong()).isEqualTo(3);
        assertThat(retry.path("issued").findValues("couponId")).map(JsonNode::asLong)
                .containsExactlyInAnyOrderElementsOf(first.path("issued").findValues("couponId").stream()
                        .map(JsonNode::asLong).toList());
        assertThat(issuedCount(template.id())).isEqualTo(3);
    }

    @Test
    void membersBeyondTheCapsAreSkippedWithTheirReasons() throws Exception {
        Audience audience = audience(4);
        List<Long> members = audience.members();
        long segment = audience.segmentId();
        CouponTemplate template = CouponFixtures.Spec.fixed(10_00).perCustomer(1).quantity(3).create(templates);
        // The first member has one already: the per-customer limit keeps them out; the quantity (3) leaves
        // room for two of the other three.
        coupons.issue(new Issue(template.id(), members.getFirst(), unique("one"), "api"));

        JsonNode result = json.readTree(apiPost("/api/v1/coupons/bulk", Map.of("templateId", template.id(),
                "segmentId", segment, "issueKey", unique("seg"))).getBody());

        assertThat(result.path("created").asLong()).isEqualTo(2);
        assertThat(result.path("skippedByReason").path("PER_CUSTOMER_LIMIT").asLong()).isEqualTo(1);
        assertThat(result.path("skippedByReason").path("QUANTITY_CAP").asLong()).isEqualTo(1);
        assertThat(result.path("skipped").findValues("customerId")).map(JsonNode::asLong).contains(members.getFirst());
        assertThat(issuedCount(template.id())).isEqualTo(3);
    }

    @Test
    void aListLongerThanOneBatchIsIssuedOnceEachAndStopsAtTheQuantity() throws Exception {
        // Ids need no customer rows: issuance takes them as given. 2,500 ids are three batches.
        long base = 9_000_000_000L + (System.nanoTime() % 1_000_000_000L) * 10_000;
        List<Long> ids = LongStream.range(base, base + 2_500).boxed().toList();
        CouponTemplate template = CouponFixtures.Spec.fixed(5_00).quantity(2_200).create(templates);
        String key = unique("big");

        BulkIssued first = coupons.issueToAll(template.id(), ids, key, "bulk");
        assertThat(first.created()).isEqualTo(2_200);
        assertThat(first.skippedByReason()).containsExactly(Map.entry("QUANTITY_CAP", 300L));
        assertThat(first.skipped()).extracting(BulkIssued.Skipped::customerId).isEqualTo(ids.subList(2_200, 2_500));

        BulkIssued again = coupons.issueToAll(template.id(), ids, key, "bulk");
        assertThat(again.created()).isZero();
        assertThat(again.alreadyIssued()).isEqualTo(2_200);
        assertThat(issuedCount(template.id())).isEqualTo(2_200);
        assertThat(templates.find(template.id()).orElseThrow().issuedCount()).isEqualTo(2_200);
    }

    @Test
    void aPlanSaysWhatIssuingWouldDoAndWritesNothing() throws Exception {
        Audience audience = audience(3);
        List<Long> members = audience.members();
        long segment = audience.segmentId();
        CouponTemplate template = CouponFixtures.Spec.fixed(20_00).budget(40_00).create(templates);

        BulkPlan plan = coupons.planForSegment(template.id(), segment, "plan-key");

        assertThat(plan).isEqualTo(new BulkPlan(3, 2, 0, Map.of("BUDGET_CAP", 1)));
        assertThat(issuedCount(template.id())).isZero();
    }

    @Test
    void bulkTakesExactlyOneOfCustomerIdsAndSegmentId() throws Exception {
        CouponTemplate template = CouponFixtures.Spec.fixed(10_00).create(templates);

        ResponseEntity<String> both = apiPost("/api/v1/coupons/bulk", Map.of("templateId", template.id(),
                "customerIds", List.of(1), "segmentId", 1, "issueKey", unique("k")));
        assertThat(both.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(firstError(both)).isEqualTo("segmentId: send either customerIds or segmentId, not both");

        ResponseEntity<String> neither = apiPost("/api/v1/coupons/bulk", Map.of("templateId", template.id(),
                "issueKey", unique("k")));
        assertThat(neither.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(firstError(neither)).startsWith("customerIds: required");

        ResponseEntity<String> unknown = apiPost("/api/v1/coupons/bulk", Map.of("templateId", template.id(),
                "segmentId", Long.MAX_VALUE / 2, "issueKey", unique("k")));
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(firstError(unknown)).isEqualTo("segmentId: unknown segment");
    }

    @Test
    void aStoreScopedKeyCannotIssueInBulkNorToAnotherStoresCustomer() throws Exception {
        Store mine = CouponFixtures.store(catalog);
        Store theirs = CouponFixtures.store(catalog);
        String key = keys.issue(unique("till"), Set.of(mine.id()));
        long theirCustomer = customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(CouponFixtures.phone()),
                theirs.id(), null);
        long myCustomer = customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(CouponFixtures.phone()),
                mine.id(), null);
        CouponTemplate template = CouponFixtures.Spec.fixed(10_00).create(templates);

        ResponseEntity<String> bulk = post(key, "/api/v1/coupons/bulk", Map.of("templateId", template.id(),
                "customerIds", List.of(myCustomer), "issueKey", unique("k")));
        assertThat(bulk.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

        ResponseEntity<String> foreign = post(key, "/api/v1/coupons", Map.of("templateId", template.id(),
                "customerId", theirCustomer, "issueKey", unique("k")));
        assertThat(foreign.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(coupons.ofCustomer(theirCustomer)).isEmpty();

        ResponseEntity<String> own = post(key, "/api/v1/coupons", Map.of("templateId", template.id(),
                "customerId", myCustomer, "issueKey", unique("k")));
        assertThat(own.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    }

    // ---- fixtures

    /** A saved segment and the customers it has. */
    private record Audience(long segmentId, List<Long> members) {}

    /** {@code n} new customers carrying one fresh tag, and the segment {@code tag("…")} of exactly them. */
    private Audience audience(int n) throws Exception {
        String tag = unique("coupon-target");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long customer = CouponFixtures.customer(customers);
            assertThat(apiPost("/api/v1/customers/" + customer + "/tags", Map.of("tag", tag)).getStatusCode())
                    .isEqualTo(HttpStatus.CREATED);
            ids.add(customer);
        }
        ResponseEntity<String> created = apiPost("/api/v1/segments", Map.of("name", unique("券人群"),
                "text", "tag(\"" + tag + "\")"));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.CREATED);
        long id = json.readTree(created.getBody()).path("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> segments.memberIds(id).size() == n);
        assertThat(segments.memberIds(id)).containsExactlyInAnyOrderElementsOf(ids);
        return new Audience(id, ids);
    }

    private long issuedCount(long templateId) {
        return jdbc.queryForObject("select count(*) from coupon where template_id = ?", Long.class, templateId);
    }

    private String firstError(ResponseEntity<String> response) throws Exception {
        JsonNode error = json.readTree(response.getBody()).path("errors").get(0);
        return error.path("field").asText() + ": " + error.path("reason").asText();
    }

    private ResponseEntity<String> post(String key, String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        return rest.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
    }
}
