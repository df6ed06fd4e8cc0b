package app.regulars.platform;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class EventFeedTest extends IntegrationTest {

    @Autowired EventFeed feed;
    @Autowired FeedPump pump;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcTemplate jdbc;

    /** Records what it was given, like a real consumer would write its own table. */
    static final class Recorder implements FeedConsumer {
        final List<Long> seen = new CopyOnWriteArrayList<>();
        final List<String> customers = new CopyOnWriteArrayList<>();
        final String name;
        final String topic;

        Recorder(String name) {
            this(name, "test-order");
        }

        Recorder(String name, String topic) {
            this.name = name;
            this.topic = topic;
        }

        @Override public String name() { return name; }
        @Override public Set<String> topics() { return Set.of(topic); }
        @Override public void apply(List<FeedEvent> events) {
            events.forEach(e -> {
                seen.add(e.id());
                customers.add(String.valueOf(e.customerId()));
            });
        }
    }

    @Test
    void anEventCommittedAfterALaterOneIsStillDeliveredExactlyOnce() throws Exception {
        Recorder recorder = new Recorder("test-recorder-" + System.nanoTime());
        jdbc.update("insert into feed_position (consumer) values (?)", recorder.name());

        CountDownLatch slowAppended = new CountDownLatch(1);
        CountDownLatch fastCommitted = new CountDownLatch(1);
        Thread slow = Thread.ofVirtual().start(() -> tx.executeWithoutResult(s -> {
            feed.append("test-order", "slow", null, Instant.now(), Map.of("n", 1));
            slowAppended.countDown();
            await(fastCommitted);
        }));
        slowAppended.await();
        tx.executeWithoutResult(s -> feed.append("test-order", "fast", null, Instant.now(), Map.of("n", 2)));

        // While the slow writer is still open, nothing may be consumed past it.
        pump.drainOnce(recorder);
        List<Long> before = new ArrayList<>(recorder.seen);
        fastCommitted.countDown();
        slow.join();
        drainUntil(recorder, 2);

        assertThat(recorder.seen).hasSize(2).doesNotHaveDuplicates();
        assertThat(before).isEmpty();
        while (pump.drainOnce(recorder) > 0) { /* nothing more */ }
        assertThat(recorder.seen).hasSize(2);
    }

    @Test
    void anEventWithoutACustomerIsDeliveredWithoutOne() {
        String topic = "test-customers-" + System.nanoTime();
        Recorder recorder = new Recorder("test-recorder-" + System.nanoTime(), topic);
        jdbc.update("insert into feed_position (consumer) values (?)", recorder.name());

        tx.executeWithoutResult(s -> {
            feed.append(topic, "anonymous", null, Instant.now(), Map.of());
            feed.append(topic, "known", 42L, Instant.now(), Map.of());
        });
        drainUntil(recorder, 2);

        assertThat(recorder.customers).containsExactly("null", "42");
    }

    @Test
    void appendingOutsideATransactionIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> feed.append("test-order", "x", null, Instant.now(), Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * Drains until the recorder has seen {@code events}: a feed consumer of the application may be in
     * the middle of a batch, holding the horizon below the events just committed for a moment.
     */
    private void drainUntil(Recorder recorder, int events) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    pump.drainOnce(recorder);
                    return recorder.seen.size() >= events;
                });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
