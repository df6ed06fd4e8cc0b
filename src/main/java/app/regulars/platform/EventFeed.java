package app.regulars.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends facts to the event feed in the caller's transaction, so an event exists exactly when the
 * write it describes committed. Each row is stamped with its writer's transaction id; readers only
 * read below the oldest transaction still in flight, which is what makes out-of-order commits safe
 * without serialising writers (see docs/decisions/0002-event-feed.md).
 */
@Component
public class EventFeed {

    /** An event to append. Payload values must be ids and facts, never personal data. */
    public record NewEvent(String topic, String type, Long customerId, Instant occurredAt, Map<String, ?> payload) {}

    private static final String INSERT =
            "insert into event_feed (topic, type, customer_id, occurred_at, payload) values (?, ?, ?, ?, ?::json)";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final FeedWake wake;

    EventFeed(JdbcTemplate jdbc, ObjectMapper json, FeedWake wake) {
        this.jdbc = jdbc;
        this.json = json;
        this.wake = wake;
    }

    public void append(String topic, String type, Long customerId, Instant occurredAt, Map<String, ?> payload) {
        appendAll(List.of(new NewEvent(topic, type, customerId, occurredAt, payload)));
    }

    public void appendAll(List<NewEvent> events) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("events must be appended inside the transaction of the write they describe");
        }
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, events, 1000, (ps, e) -> {
            ps.setString(1, e.topic());
            ps.setString(2, e.type());
            ps.setObject(3, e.customerId());
            ps.setTimestamp(4, Timestamp.from(e.occurredAt()));
            ps.setString(5, write(e.payload()));
        });
        wake.afterCommit();
    }

    private String write(Map<String, ?> payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not serialisable", e);
        }
    }
}
