package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.platform.FeedWake;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

class SegmentsApiTest extends IntegrationTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired ObjectMapper json;
    @Autowired CustomFields fields;
    @Autowired Catalog catalog;
    @Autowired JdbcTemplate jdbc;
    @Autowired FeedWake feedWake;

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }

    private static String phone() {
        return "136" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    private JsonNode body(ResponseEntity<String> response) throws Exception {
        return json.readTree(response.getBody());
    }

    @Test
    void aRuleThatDoesNotParseIsRefusedWithItsLineAndColumn() throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/segments/preview",
                Map.of("text", "spent(90d) > 5000 and\norders(90) > 3"));
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = body(response).get("errors").get(0);
        assertThat(error.get("line").asInt()).isEqualTo(2);
        assertThat(error.get("column").asInt()).isEqualTo(8);
        assertThat(error.get("reason").asText())
                .isEqualTo("expected a window such as 90d or last_month, or a filter such as store = \"SH-01\", found '90'"
                        + " (days are written with a d: 90d)");
    }

    @Test
    void aRuleGivenBothWaysAndARuleForAManualTagAreRefusedInTheApisEnglishAsBefore() throws Exception {
        JsonNode both = body(apiPost("/api/v1/segments/preview", Map.of("text", "orders() > 1",
                "rule", json.readTree("{\"version\": 1, \"rule\": {\"type\": \"tag\", \"name\": \"x\"}}"))));
        assertThat(both.get("status").asInt()).isEqualTo(400);
        assertThat(both.get("detail").asText()).isEqualTo("rule: give the rule's text or its JSON, not both");
        assertThat(both.get("errors")).hasSize(1);
        assertThat(both.get("errors").get(0).properties()).hasSize(2); // field and reason: the code is the console's
        assertThat(both.get("errors").get(0).get("field").asText()).isEqualTo("rule");
        assertThat(both.get("errors").get(0).get("reason").asText()).isEqualTo("give the rule's text or its JSON, not both");

        long manual = body(apiPost("/api/v1/tags", Map.of("name", unique("manual")))).get("id").asLong();
        ResponseEntity<String> ruled = api(HttpMethod.PUT, "/api/v1/tags/" + manual,
                Map.of("name", unique("manual"), "text", "orders() > 1"));
        assertThat(ruled.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body(ruled).get("detail").asText())
                .isEqualTo("rule: a manual tag has no rule; create an automatic tag instead");
        assertThat(body(ruled).get("errors").get(0).get("reason").asText())
                .isEqualTo("a manual tag has no rule; create an automatic tag instead");
    }

    @Test
    void aTypeErrorIsRefusedWithItsPositionAndNothingIsSaved() throws Exception {
        String name = unique("typo");
        ResponseEntity<String> response = apiPost("/api/v1/segments", Map.of("name", name, "text", "orders(90d) > \"3\""));
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = body(response).get("errors").get(0);
        assertThat(error.get("reason").asText()).isEqualTo("cannot compare number with text");
        assertThat(error.get("column").asInt()).isEqualTo(15);
        assertThat(jdbc.queryForObject("select count(*) from segment where name = ?", Long.class, name)).isZero();
    }

    @Test
    void aSegmentSavedAsJsonReadsBackAsTextAndJson() throws Exception {
        String name = unique("json");
        JsonNode rule = json.readTree("""
                {"version": 1, "rule": {"type": "and", "parts": [
                  {"type": "compare", "left": {"type": "aggregate", "function": "spent", "window": {"type": "rolling", "days": 90}},
                   "operator": ">", "right": {"type": "number", "value": 5000}},
                  {"type": "not", "part": {"type": "compare", "left": {"type": "field", "name": "city"}, "operator": "=",
                   "right": {"type": "text", "value": "上海"}}}]}}""");
        ResponseEntity<String> created = apiPost("/api/v1/segments", Map.of("name", name, "rule", rule));
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        long id = body(created).get("id").asLong();
        JsonNode read = body(apiGet("/api/v1/segments/" + id));
        assertThat(read.get("text").asText()).isEqualTo("spent(90d) > 5000 and not city = \"上海\"");
        assertThat(read.get("rule").get("version").asInt()).isEqualTo(1);
        assertThat(read.get("rule").get("rule").get("parts").size()).isEqualTo(2);
    }

    @Test
    void sizesAreGivenForEveryDayCarryingTheLastSizeWrittenForward() throws Exception {
        String name = unique("sizes");
        ResponseEntity<String> created = apiPost("/api/v1/segments", Map.of("name", name, "text", "orders() > 1000000"));
        long id = body(created).get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> body(apiGet("/api/v1/segments/" + id + "/sizes")).size() == 1);
        java.time.LocalDate today = java.time.LocalDate.parse(
                body(apiGet("/api/v1/segments/" + id + "/sizes")).get(0).get("day").asText());
        // Sizes are written when they change: 5 ten days ago, 7 four days ago, 9 today.
        jdbc.update("delete from segment_size where segment_id = ?", id);
        jdbc.update("insert into segment_size (segment_id, day, members) values (?, ?, 5), (?, ?, 7), (?, ?, 9)",
                id, java.sql.Date.valueOf(today.minusDays(10)), id, java.sql.Date.valueOf(today.minusDays(4)),
                id, java.sql.Date.valueOf(today));

        JsonNode month = body(apiGet("/api/v1/segments/" + id + "/sizes?days=30"));
        assertThat(month.size()).isEqualTo(11);
        assertThat(month.get(0).get("day").asText()).isEqualTo(today.minusDays(10).toString());
        assertThat(month.findValuesAsText("members"))
                .containsExactly("5", "5", "5", "5", "5", "5", "7", "7", "7", "7", "9");
        JsonNode week = body(apiGet("/api/v1/segments/" + id + "/sizes?days=7"));
        assertThat(week.get(0).get("day").asText()).as("the week's first day had the size written before it")
                .isEqualTo(today.minusDays(6).toString());
        assertThat(week.findValuesAsText("members")).containsExactly("5", "5", "7", "7", "7", "7", "9");
    }

    @Test
    void aSegmentSavedWhileAnImportAppliesGetsItsFirstRoundWhenTheImportEnds() throws Exception {
        String name = unique("held");
        long id;
        try (FeedWake.BulkLoad importApplying = feedWake.bulkLoad()) {
            id = body(apiPost("/api/v1/segments", Map.of("name", name, "text", "orders() > 1000000"))).get("id").asLong();
            Thread.sleep(1_500);
            assertThat(sizesWritten(id)).as("no round while the import applies").isZero();
        }
        long saved = id;
        await().atMost(Duration.ofSeconds(20)).until(() -> sizesWritten(saved) == 1);
    }

    private long sizesWritten(long segmentId) {
        return jdbc.queryForObject("select count(*) from segment_size where segment_id = ?", Long.class, segmentId);
    }

    @Test
    void anUnknownJsonVersionIsRefusedClearly() throws Exception {
        ResponseEntity<String> response = apiPost("/api/v1/segments/preview",
                Map.of("rule", Map.of("version", 7, "rule", Map.of("type", "tag", "name", "x"))));
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = body(response).get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("version");
        assertThat(error.get("reason").asText()).contains("version 7 is not supported");
    }

    @Test
    void aSegmentCannotIncludeItselfThroughAnother() throws Exception {
        String a = unique("a");
        String b = unique("b");
        long idA = body(apiPost("/api/v1/segments", Map.of("name", a, "text", "orders() > 100"))).get("id").asLong();
        assertThat(apiPost("/api/v1/segments", Map.of("name", b, "text", "segment(\"" + a + "\") or orders() > 50"))
                .getStatusCode()).isEqualTo(HttpStatus.CREATED);

        ResponseEntity<String> refused = api(HttpMethod.PUT, "/api/v1/segments/" + idA,
                Map.of("name", a, "text", "orders() > 100 and segment(\"" + b + "\")"));
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = body(refused).get("errors").get(0);
        assertThat(error.get("reason").asText()).isEqualTo("a segment cannot include itself: segment(\"" + a
                + "\") → segment(\"" + b + "\") → segment(\"" + a + "\")");
        assertThat(error.get("column").asInt()).isEqualTo(20);
        assertThat(body(apiGet("/api/v1/segments/" + idA)).get("text").asText()).isEqualTo("orders() > 100");

        ResponseEntity<String> itself = api(HttpMethod.PUT, "/api/v1/segments/" + idA,
                Map.of("name", a, "text", "segment(\"" + a + "\")"));
        assertThat(body(itself).get("errors").get(0).get("reason").asText())
                .isEqualTo("a segment cannot include itself: segment(\"" + a + "\") → segment(\"" + a + "\")");

        ResponseEntity<String> delete = api(HttpMethod.DELETE, "/api/v1/segments/" + idA, null);
        assertThat(delete.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(body(delete).get("errors").get(0).get("reason").asText()).contains("segment \"" + b + "\"");
    }

    @Test
    void aRuleNamingADeletedCustomFieldIsReportedNotSilentlyFalse() throws Exception {
        String key = "lvl_" + Long.toString(System.nanoTime(), 36);
        fields.define(new CustomField(key, "等级", "Level", CustomField.Type.choice, List.of("A", "B"), false, true));
        String name = unique("vip");
        long id = body(apiPost("/api/v1/segments", Map.of("name", name, "text", key + " = \"A\""))).get("id").asLong();
        fields.deactivate(key);

        ResponseEntity<String> preview = apiPost("/api/v1/segments/preview", Map.of("text", key + " = \"A\""));
        assertThat(preview.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body(preview).get("errors").get(0).get("reason").asText())
                .isEqualTo("custom field `" + key + "` was deleted; change or remove this condition");

        assertThat(body(apiGet("/api/v1/segments/" + id)).get("problem").asText())
                .isEqualTo("line 1, column 1: custom field `" + key + "` was deleted; change or remove this condition");
    }

    @Test
    void aPreviewCountsTheMatchesAndSaysWhenNoOneMatches() throws Exception {
        JsonNode none = body(apiPost("/api/v1/segments/preview", Map.of("text", "orders() > 1000000")));
        assertThat(none.get("count").asInt()).isZero();
        assertThat(none.get("warning").asText()).isEqualTo("no one");
        assertThat(none.get("text").asText()).isEqualTo("orders() > 1000000");

        JsonNode everyone = body(apiPost("/api/v1/segments/preview", Map.of("text", "orders() >= 0")));
        assertThat(everyone.get("count").asInt()).isEqualTo(everyone.get("population").asInt()).isPositive();
        assertThat(everyone.get("warning").asText()).isEqualTo("everyone");
        assertThat(everyone.get("share").asDouble()).isEqualTo(1.0);
        assertThat(everyone.get("sample").size()).isBetween(1, 5);
        JsonNode sampled = everyone.get("sample").get(0);
        if (sampled.hasNonNull("phone")) {
            assertThat(sampled.get("phone").asText()).contains("****");
        }
    }

    @Test
    void aReceiptPushesACustomerIntoASegmentAndTheFeedSaysSoOnce() throws Exception {
        String store = unique("S");
        StoreFixtures.create(catalog, store);
        String tag = unique("watch");
        String phone = phone();
        // A customer carrying the tag, without purchases yet.
        ResponseEntity<String> registered = apiPost("/api/v1/customers", Map.of("phone", phone));
        assertThat(registered.getStatusCode().is2xxSuccessful()).as(registered.getBody()).isTrue();
        long customer = body(registered).get("id").asLong();
        assertThat(api(HttpMethod.POST, "/api/v1/customers/" + customer + "/tags", Map.of("tag", tag)).getStatusCode())
                .isEqualTo(HttpStatus.CREATED);
        String name = unique("buyers");
        long segment = body(apiPost("/api/v1/segments", Map.of("name", name,
                "text", "tag(\"" + tag + "\") and orders() >= 1"))).get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select computed_at is not null from segment where id = ?", Boolean.class, segment));
        assertThat(entered(segment, customer)).isZero();

        apiPost("/api/v1/receipts", """
                {"source":"pos-%s","receiptNo":"R-1","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-1","quantity":1,"unitPrice":"99.00"}]}"""
                .formatted(store, store, phone));

        await().atMost(Duration.ofSeconds(20)).until(() -> entered(segment, customer) == 1);
        assertThat(jdbc.queryForObject("select count(*) from segment_member where segment_id = ? and customer_id = ?",
                Long.class, segment, customer)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from event_feed where topic = 'segments' and type = 'tag.added'"
                + " and customer_id = ?", Long.class, customer)).isEqualTo(1);
        JsonNode payload = json.readTree(jdbc.queryForObject("select payload::text from event_feed where topic = 'segments'"
                + " and type = 'segment.entered' and customer_id = ? and (payload->>'segmentId')::bigint = ?", String.class,
                customer, segment));
        assertThat(payload.get("segmentId").asLong()).isEqualTo(segment);
        assertThat(payload.size()).isEqualTo(1);

        // Later rounds (another customer's receipt) announce nothing again.
        apiPost("/api/v1/receipts", """
                {"source":"pos-%s","receiptNo":"R-2","storeCode":"%s","purchasedAt":"2026-11-11T11:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-1","quantity":1,"unitPrice":"5.00"}]}"""
                .formatted(store, store, phone()));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(entered(segment, customer)).isEqualTo(1));

        // Taking the tag off lets them leave.
        assertThat(api(HttpMethod.DELETE, "/api/v1/customers/" + customer + "/tags/" + tag, null).getStatusCode())
                .isEqualTo(HttpStatus.NO_CONTENT);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select count(*) from event_feed"
                + " where topic = 'segments' and type = 'segment.exited' and customer_id = ? and (payload->>'segmentId')::bigint = ?",
                Long.class, customer, segment) == 1);
    }

    private long entered(long segment, long customer) {
        return jdbc.queryForObject("select count(*) from event_feed where topic = 'segments' and type = 'segment.entered'"
                + " and customer_id = ? and (payload->>'segmentId')::bigint = ?", Long.class, customer, segment);
    }
}
