package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.access.ApiKeys;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** A store's key sees, on member lists as everywhere, only the customers of its stores; it changes no definition. */
class StoreScopedMembersTest extends IntegrationTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 90_000_000L);

    @Autowired ApiKeys apiKeys;
    @Autowired Catalog catalog;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;

    private String tag;
    private long ours;
    private long theirs;
    private String storeKey;

    /** Two customers carrying one new tag, one of our store and one of another; a key for our store. */
    @BeforeEach
    void twoStoresCustomersWithOneTag() throws Exception {
        long ourStore = StoreFixtures.create(catalog, unique("OURS")).id();
        long otherStore = StoreFixtures.create(catalog, unique("THEIRS")).id();
        tag = unique("回访");
        ours = register(ourStore);
        theirs = register(otherStore);
        for (long customer : List.of(ours, theirs)) {
            apiPost("/api/v1/customers/" + customer + "/tags", Map.of("tag", tag));
        }
        storeKey = apiKeys.issue("till of " + ourStore, Set.of(ourStore));
    }

    @Test
    void aStoreKeyListsAndExportsOnlyItsStoresMembersOfASegmentAndATag() throws Exception {
        long segment = body(apiPost("/api/v1/segments", Map.of("name", unique("回访人群"),
                "text", "tag(\"" + tag + "\")"))).get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from segment_member where segment_id = ?", Long.class, segment) == 2);
        for (String list : List.of("/api/v1/segments/" + segment, "/api/v1/tags/" + tagId())) {
            assertThat(memberIds(call(null, list + "/members"))).containsExactlyInAnyOrder(ours, theirs);
            JsonNode scoped = call(storeKey, list + "/members");
            assertThat(memberIds(scoped)).containsExactly(ours);
            assertThat(scoped.get("total").asLong()).isEqualTo(1);
            assertThat(csv(storeKey, list + "/members.csv")).containsExactly("customer_id", Long.toString(ours));
        }
    }

    @Test
    void aStoreKeyPreviewsWithASampleOfItsOwnCustomersOnly() throws Exception {
        String rule = "tag(\"" + tag + "\")";
        // the index learns of manual tags from the event feed, a moment after they are written
        await().atMost(Duration.ofSeconds(20)).until(() -> post(null, "/api/v1/segments/preview",
                Map.of("text", rule)).get("count").asInt() == 2);
        JsonNode everyone = post(null, "/api/v1/segments/preview", Map.of("text", rule));
        assertThat(everyone.get("sample").findValues("id")).extracting(JsonNode::asLong)
                .containsExactlyInAnyOrder(ours, theirs);

        JsonNode scoped = post(storeKey, "/api/v1/segments/preview", Map.of("text", rule));
        assertThat(scoped.get("count").asInt()).isEqualTo(2); // a size, as on the segment list: no one is named
        assertThat(scoped.get("sample").findValues("id")).extracting(JsonNode::asLong).containsExactly(ours);
    }

    @Test
    void aStoreKeyNeitherReadsNorChangesTheTagsOfAnotherStoresCustomer() {
        assertThat(status(storeKey, HttpMethod.GET, "/api/v1/customers/" + theirs + "/tags", null)).isEqualTo(404);
        assertThat(status(storeKey, HttpMethod.POST, "/api/v1/customers/" + theirs + "/tags", Map.of("tag", unique("x"))))
                .isEqualTo(404);
        assertThat(status(storeKey, HttpMethod.DELETE, "/api/v1/customers/" + theirs + "/tags/" + tag, null))
                .isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from customer_tag ct join tag t on t.id = ct.tag_id"
                + " where ct.customer_id = ? and t.name = ?", Long.class, theirs, tag)).isEqualTo(1);

        assertThat(status(storeKey, HttpMethod.GET, "/api/v1/customers/" + ours + "/tags", null)).isEqualTo(200);
        assertThat(status(storeKey, HttpMethod.POST, "/api/v1/customers/" + ours + "/tags", Map.of("tag", unique("常客"))))
                .isEqualTo(201);
    }

    @Test
    void aStoreKeyChangesNoSegmentOrTag() throws Exception {
        String name = unique("门店人群");
        assertThat(status(storeKey, HttpMethod.POST, "/api/v1/segments", Map.of("name", name, "text", "orders() > 1")))
                .isEqualTo(403);
        assertThat(status(storeKey, HttpMethod.POST, "/api/v1/tags", Map.of("name", name))).isEqualTo(403);
        assertThat(status(storeKey, HttpMethod.DELETE, "/api/v1/tags/" + tagId(), null)).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from segment where name = ?", Long.class, name)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from tag where name = ?", Long.class, tag)).isEqualTo(1);
    }

    private long tagId() {
        return jdbc.queryForObject("select id from tag where name = ?", Long.class, tag);
    }

    private long register(long store) throws Exception {
        String phone = "137" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
        return body(apiPost("/api/v1/customers", Map.of("phone", phone, "registrationStoreId", store,
                "homeStoreId", store))).get("id").asLong();
    }

    private static List<Long> memberIds(JsonNode members) {
        List<Long> ids = new ArrayList<>();
        members.get("members").forEach(m -> ids.add(m.get("id").asLong()));
        return ids;
    }

    private JsonNode call(String key, String path) throws Exception {
        return json.readTree(exchange(key, HttpMethod.GET, path, null).getBody());
    }

    private JsonNode post(String key, String path, Object body) throws Exception {
        return json.readTree(exchange(key, HttpMethod.POST, path, body).getBody());
    }

    private List<String> csv(String key, String path) {
        return List.of(exchange(key, HttpMethod.GET, path, null).getBody().split("\n"));
    }

    private int status(String key, HttpMethod method, String path, Object body) {
        return exchange(key, method, path, body).getStatusCode().value();
    }

    private ResponseEntity<String> exchange(String key, HttpMethod method, String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key == null ? apiKey() : key);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.exchange(path, method, new HttpEntity<>(body, headers), String.class);
    }

    private JsonNode body(ResponseEntity<String> response) throws Exception {
        assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
        return json.readTree(response.getBody());
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }
}
