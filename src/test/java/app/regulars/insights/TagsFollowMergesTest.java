package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
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

/** A merge keeps the tags staff put on either customer: the survivor carries them from then on. */
class TagsFollowMergesTest extends IntegrationTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired ObjectMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired Tags tags;
    @Autowired Insights insights;

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }

    private long register() throws Exception {
        String phone = "135" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
        ResponseEntity<String> registered = apiPost("/api/v1/customers", Map.of("phone", phone));
        assertThat(registered.getStatusCode().is2xxSuccessful()).as(registered.getBody()).isTrue();
        return json.readTree(registered.getBody()).get("id").asLong();
    }

    private void tag(long customer, String tag) {
        assertThat(api(HttpMethod.POST, "/api/v1/customers/" + customer + "/tags", Map.of("tag", tag)).getStatusCode())
                .isEqualTo(HttpStatus.CREATED);
    }

    private long tagId(String name) {
        return tags.findByName(name).orElseThrow().id();
    }

    private long events(String type, long customer, String tag) {
        return jdbc.queryForObject("select count(*) from event_feed where topic = 'segments' and type = ?"
                + " and customer_id = ? and (payload->>'tagId')::bigint = ?", Long.class, type, customer, tagId(tag));
    }

    private int previewCount(String rule) throws Exception {
        ResponseEntity<String> preview = apiPost("/api/v1/segments/preview", Map.of("text", rule));
        assertThat(preview.getStatusCode()).as(preview.getBody()).isEqualTo(HttpStatus.OK);
        return json.readTree(preview.getBody()).get("count").asInt();
    }

    @Test
    void theSurvivorCarriesTheMergedCustomersManualTags() throws Exception {
        String both = unique("both");
        String onlyMerged = unique("only");
        long survivor = register();
        long merged = register();
        tag(survivor, both);
        tag(merged, both);
        tag(merged, onlyMerged);
        String rule = "tag(\"" + onlyMerged + "\")";
        await().atMost(Duration.ofSeconds(20)).until(() -> previewCount(rule) == 1);

        ResponseEntity<String> merge = apiPost("/api/v1/customers/merge",
                "{\"survivorId\":%d,\"mergedId\":%d}".formatted(survivor, merged));
        assertThat(merge.getStatusCode().value()).as(merge.getBody()).isEqualTo(200);

        assertThat(tags.of(survivor)).extracting(Tags.OnCustomer::name).containsExactlyInAnyOrder(both, onlyMerged);
        assertThat(tags.of(merged)).isEmpty();
        assertThat(events("tag.added", survivor, onlyMerged)).as("the survivor gained this tag").isEqualTo(1);
        assertThat(events("tag.added", survivor, both)).as("the survivor carried this one already").isEqualTo(1);
        assertThat(events("tag.removed", merged, onlyMerged)).isEqualTo(1);
        assertThat(events("tag.removed", merged, both)).isEqualTo(1);
        JsonNode members = json.readTree(apiGet("/api/v1/tags/" + tagId(onlyMerged) + "/members").getBody()).get("members");
        assertThat(members.findValues("id")).extracting(JsonNode::asLong).containsExactly(survivor);
        // Rules naming the tag find the survivor once the index has the merge (the merged one is then dead).
        await().atMost(Duration.ofSeconds(20)).until(() -> insights.metricsOf(merged).orElseThrow().customerId() == survivor);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(previewCount(rule)).isEqualTo(1);
            assertThat(previewCount("tag(\"" + both + "\")")).isEqualTo(1);
        });
        assertThat(tags.memberIds(tagId(onlyMerged))).isEqualTo(List.of(survivor));
    }
}
