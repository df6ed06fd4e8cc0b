package app.regulars.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast the earning consumer turns accepted receipts into ledger entries, beside the customer-stats
 * consumer reading the same events. Prints figures; no threshold.
 */
@Tag("bench")
class EarningThroughputTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired JdbcTemplate jdbc;

    @Test
    void earningKeepsUpWithABurstOfReceipts() {
        String store = LoyaltyFixtures.unique("TP");
        StoreFixtures.create(catalog, store);
        String source = LoyaltyFixtures.unique("pos");
        Instant at = Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        int batches = 10;
        int perBatch = 500;
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            phones.add(LoyaltyFixtures.phone());
        }
        long before = jdbc.queryForObject("select count(*) from points_entry where kind = 'earn'", Long.class);
        long started = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            StringBuilder body = new StringBuilder("{\"receipts\":[");
            for (int i = 0; i < perBatch; i++) {
                if (i > 0) {
                    body.append(',');
                }
                body.append(LoyaltyFixtures.sale(source, "R-" + b + "-" + i, store, phones.get((b * perBatch + i) % phones.size()),
                        at.plusSeconds(b * perBatch + i), "SKU-A:1:" + (10 + i % 90) + ".00", "SKU-B:2:5.00"));
            }
            body.append("]}");
            assertThat(apiPost("/api/v1/receipts", body.toString()).getStatusCode().is2xxSuccessful()).isTrue();
            System.out.printf("batch %d posted at %.1f s: %d earned, %d in customer stats, feed position %s%n", b,
                    (System.nanoTime() - started) / 1e9,
                    jdbc.queryForObject("select count(*) from points_entry where kind = 'earn'", Long.class) - before,
                    jdbc.queryForObject("select count(*) from customer_stats", Long.class),
                    jdbc.queryForList("select consumer || ':' || last_id from feed_position", String.class));
        }
        long posted = System.nanoTime();
        int total = batches * perBatch;
        long leftAtPosted = total - (jdbc.queryForObject("select count(*) from points_entry where kind = 'earn'", Long.class) - before);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("select count(*) from points_entry where kind = 'earn'", Long.class) - before >= total);
        long earned = System.nanoTime();
        System.out.printf("loyalty earning: %d receipts posted in %.1f s (%.0f/s); all earned %.1f s after the first post "
                        + "(%.0f receipts/s end to end)%n", total, (posted - started) / 1e9, total / ((posted - started) / 1e9),
                (earned - started) / 1e9, total / ((earned - started) / 1e9));
        System.out.printf("loyalty earning: %d receipts were left when posting ended, earned in %.1f s (%.0f receipts/s)%n",
                leftAtPosted, (earned - posted) / 1e9, leftAtPosted / ((earned - posted) / 1e9));
    }
}
