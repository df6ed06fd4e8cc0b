package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** A customer merged away while no round ran (the application was down) leaves their segments at the next start. */
class MergedMembershipsTest extends IntegrationTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired SegmentMembership membership;
    @Autowired @Qualifier("insightsIndexLifecycle") SmartLifecycle index;
    @Autowired RuleEngine engine;
    @Autowired Catalog catalog;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }

    private long sale(String store) throws Exception {
        String phone = "134" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
        ResponseEntity<String> posted = apiPost("/api/v1/receipts", """
                {"source":"merged-memberships","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-1","quantity":1,"unitPrice":"9.00"}]}"""
                .formatted(unique("R"), store, phone));
        assertThat(posted.getStatusCode().value()).as(posted.getBody()).isEqualTo(201);
        return json.readTree(posted.getBody()).path("customerId").asLong();
    }

    private long members(long segment, long customer) {
        return jdbc.queryForObject("select count(*) from segment_member where segment_id = ? and customer_id = ?",
                Long.class, segment, customer);
    }

    private long exited(long segment, long customer) {
        return jdbc.queryForObject("select count(*) from event_feed where topic = 'segments' and type = 'segment.exited'"
                + " and customer_id = ? and (payload->>'segmentId')::bigint = ?", Long.class, customer, segment);
    }

    @Test
    void aCustomerMergedWhileNoRoundRanLeavesTheirSegmentsAtTheNextStart() throws Exception {
        String store = unique("MM");
        StoreFixtures.create(catalog, store);
        long survivor = sale(store);
        long merged = sale(store);
        long segment = json.readTree(apiPost("/api/v1/segments", Map.of("name", unique("buyers"),
                "text", "orders(store = \"" + store + "\") >= 1")).getBody()).get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> members(segment, survivor) == 1 && members(segment, merged) == 1);

        // As if the application went down right after the merge: no round runs, and the index is rebuilt
        // from the database at the next start, without the merged customer.
        membership.stop();
        try {
            ResponseEntity<String> merge = apiPost("/api/v1/customers/merge",
                    "{\"survivorId\":%d,\"mergedId\":%d}".formatted(survivor, merged));
            assertThat(merge.getStatusCode().value()).as(merge.getBody()).isEqualTo(200);
            assertThat(members(segment, merged)).as("no round ran since the merge").isEqualTo(1);
        } finally {
            index.stop();
            index.start();
            // A rebuilt index does not know the merged customer (the one before the rebuild kept its ordinal).
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.ordinalOf(merged) < 0 && engine.ordinalOf(survivor) >= 0);
            membership.start();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(members(segment, merged)).isZero();
            assertThat(exited(segment, merged)).isEqualTo(1);
        });
        assertThat(members(segment, survivor)).isEqualTo(1);
    }
}
