package app.regulars.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Feeds every {@link FeedConsumer} from the event feed, one thread each. A consumer's position is a
 * pair (writer transaction id, event id); a batch is read only from transactions older than the
 * oldest one still running, so an event that commits late can never fall behind a position already
 * passed. Position and the consumer's writes commit together.
 */
@Component
class FeedPump implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedPump.class);
    private static final int BATCH = 2000;
    /**
     * The pause between reads that did not fill a batch while the feed is busy. WHY 50, NOT 20: each read
     * that finds events is a transaction with a commit (a WAL flush) per consumer; under a stream of till
     * receipts three pumps committing every 20 ms competed with the receipts' own commits on two cores.
     * Receipts at 16 in flight: 1,498–1,853/s against 1,276–1,841/s (BENCHMARKS.md, 2026-12-01, within
     * the noise but better in both pairs' medians). Stats and points of a receipt appear up to 30 ms later;
     * segments follow the insights tail, which keeps its own pace.
     */
    private static final long IDLE_MILLIS = 50;

    private static final String READ = """
            select id, tx_id::text as tx, topic, type, customer_id, occurred_at, payload::text as payload
            from event_feed
            where (tx_id, id) > (?::xid8, ?)
              and tx_id < ?::xid8
              and topic = any(?)
            order by tx_id, id
            limit ?""";

    /**
     * The newest event below the horizon, whatever its topic. Aliased as in READ: named tx_id, the text
     * column is what "order by tx_id" would sort ("9999" after "10000"), which is not the newest.
     */
    private static final String NEWEST = """
            select tx_id::text as tx, id from event_feed
            where tx_id < ?::xid8 and (tx_id, id) > (?::xid8, ?)
            order by tx_id desc, id desc
            limit 1""";

    private final List<FeedConsumer> consumers;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final FeedWake wake;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    FeedPump(List<FeedConsumer> consumers, JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, FeedWake wake) {
        this.consumers = consumers;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.wake = wake;
    }

    @Override
    public void start() {
        running = true;
        for (FeedConsumer consumer : consumers) {
            jdbc.update("insert into feed_position (consumer) values (?) on conflict do nothing", consumer.name());
            threads.add(Thread.ofVirtual().name("feed-" + consumer.name()).start(() -> pump(consumer)));
        }
    }

    @Override
    public void stop() {
        running = false;
        wake.ring(); // a pump held by a bulk load would otherwise wait for its end (up to 30 s)
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void pump(FeedConsumer consumer) {
        long backoff = IDLE_MILLIS;
        FeedWake.Pause pause = wake.pause(IDLE_MILLIS);
        while (running) {
            try {
                pause.holdDuringBulkLoad(() -> running);
                int applied = drainOnce(consumer);
                backoff = IDLE_MILLIS;
                if (applied < Math.min(BATCH, consumer.batchSize())) {
                    pause.after(applied > 0);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("Feed consumer {} failed; retrying in {} ms", consumer.name(), backoff, e);
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * Whether anything lies between the consumer's position and the horizon: whether the first event
     * after the position is below it (the events after it come later in tx_id order). Asked without a
     * lock and outside a transaction: an idle poll then takes no transaction id, so it never holds back
     * the horizon of the other consumers (the locking read below does, for as long as it runs).
     *
     * <p>WHY THE POSITION AS SUBQUERIES: joined to feed_position, the row comparison was a join filter,
     * and PostgreSQL read the whole feed for it (a million events: 0.6–4 s of a core per poll, five
     * consumers polling every 20 ms). As one-time values of the statement it is an index condition:
     * one index entry read.
     */
    private static final String WORK = """
            select coalesce((select e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
                             from event_feed e
                             where (e.tx_id, e.id) > ((select last_tx from feed_position where consumer = ?),
                                                      (select last_id from feed_position where consumer = ?))
                             order by e.tx_id, e.id
                             limit 1), false)""";

    /** Applies at most one batch; returns how many events it applied. */
    int drainOnce(FeedConsumer consumer) {
        if (!Boolean.TRUE.equals(jdbc.queryForObject(WORK, Boolean.class, consumer.name(), consumer.name()))) {
            return 0;
        }
        Integer applied = tx.execute(status -> {
            Position at = jdbc.queryForObject(
                    "select last_tx::text, last_id from feed_position where consumer = ? for update",
                    (rs, i) -> new Position(rs.getString(1), rs.getLong(2)), consumer.name());
            // One horizon for both reads below: every transaction older than it has finished, so the rows
            // under it are final (a per-statement horizon could let the second read pass an event the first
            // did not see).
            String horizon = jdbc.queryForObject("select pg_snapshot_xmin(pg_current_snapshot())::text", String.class);
            int limit = Math.min(BATCH, Math.max(1, consumer.batchSize()));
            List<Row> rows = jdbc.query(READ, (rs, i) -> row(rs), at.tx(), at.id(), horizon,
                    consumer.topics().toArray(String[]::new), limit);
            Position to = rows.isEmpty() ? at : new Position(rows.getLast().tx(), rows.getLast().event().id());
            if (!rows.isEmpty()) {
                consumer.apply(rows.stream().map(Row::event).toList());
            }
            if (rows.size() < limit) {
                // Everything of this consumer's topics below the horizon is applied: its position moves past
                // the other topics' events too, so "caught up" means at the end of the feed.
                to = jdbc.query(NEWEST, (rs, i) -> new Position(rs.getString(1), rs.getLong(2)), horizon, to.tx(), to.id())
                        .stream().findFirst().orElse(to);
            }
            if (!to.equals(at)) {
                jdbc.update("update feed_position set last_tx = ?::xid8, last_id = ?, updated_at = now() where consumer = ?",
                        to.tx(), to.id(), consumer.name());
            }
            return rows.size();
        });
        return applied == null ? 0 : applied;
    }

    private Row row(ResultSet rs) throws SQLException {
        try {
            // Not getLong + wasNull: wasNull answers for the column read last, and the arguments below read
            // three more before it, which made every anonymous event customer 0.
            Long customer = rs.getObject("customer_id", Long.class);
            FeedEvent event = new FeedEvent(rs.getLong("id"), rs.getString("topic"), rs.getString("type"),
                    customer, rs.getTimestamp("occurred_at").toInstant(),
                    json.readTree(rs.getString("payload")));
            return new Row(rs.getString("tx"), event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable payload in event " + rs.getLong("id"), e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Position(String tx, long id) {}

    private record Row(String tx, FeedEvent event) {}
}
