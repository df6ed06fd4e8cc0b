package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.insights.Memberships;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rules about time ("no purchase for 180 days") change their answer when a day ends, with no purchase
 * to set them off. The engine wakes everyone's segment rounds at the midnight of each store's timezone,
 * the moment a day-grained truth can flip, and answers by the new day from then on.
 */
class TimePassingTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void aCustomerBecomesSleepingAtTheMidnightThatMakesTheirLastPurchase181DaysOld() throws Exception {
        DataSource dataSource = PrivateDatabase.fresh();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        Sales.customer(jdbc, 1, "2025-06-01T10:00:00+08:00");
        Sales.customer(jdbc, 2, "2025-06-01T10:00:00+08:00");
        Sales.oneLine(jdbc, 1, 1, "2026-01-01T10:00:00+08:00", 5000); // day 180 on 30 June, 181 on 1 July
        Sales.oneLine(jdbc, 2, 2, "2026-03-01T10:00:00+08:00", 5000);

        MovableClock clock = new MovableClock(Instant.parse("2026-06-30T23:59:30+08:00"));
        IndexedRuleEngine engine = new IndexedRuleEngine(dataSource, SHANGHAI, clock);
        List<RoaringBitmap> wakes = new CopyOnWriteArrayList<>();
        engine.onChange(wakes::add);
        engine.start();
        engine.index();
        SqlOracle oracle = new SqlOracle(jdbc, SHANGHAI, engine::customerIdOf);
        Rule sleeping = RuleText.parse("days_since_last_purchase > 180");
        try {
            assertThat(finds(engine, sleeping)).isEmpty();
            assertThat(oracle.customers(sleeping, Memberships.NONE, clock.instant())).isEmpty();

            wakes.clear();
            clock.set(Instant.parse("2026-07-01T00:00:01+08:00"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(wakes)
                    .as("a round over everyone, woken by the midnight alone")
                    .anySatisfy(touched -> assertThat(touched.getCardinality()).isEqualTo(2)));
            assertThat(finds(engine, sleeping)).containsExactly(1L);
            assertThat(oracle.customers(sleeping, Memberships.NONE, clock.instant())).containsExactly(1L);
        } finally {
            engine.stop();
        }
    }

    private static List<Long> finds(IndexedRuleEngine engine, Rule rule) {
        List<Long> ids = new ArrayList<>();
        engine.evaluate(rule, Memberships.NONE).ordinals().forEach((int o) -> ids.add(engine.customerIdOf(o)));
        return ids;
    }

    /** A clock a test sets; the engine reads it on its own thread. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
