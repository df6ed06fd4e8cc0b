package app.regulars.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
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

    /**
     * All of a write's events in one statement. WHY UNNEST: a batch insert of rows became one VALUES
     * statement per 512, 256, … rows, each with thousands of parameters to parse and plan every time; an
     * import's 2,000 receipts cost seven of them. Rows are inserted, and so numbered, in list order.
     */
    private static final String INSERT = """
            insert into event_feed (topic, type, customer_id, occurred_at, payload)
            select * from unnest(?::text[], ?::text[], ?::bigint[], ?::text[]::timestamptz[], ?::text[]::json[])""";

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
        int n = events.size();
        String[] topics = new String[n];
        String[] types = new String[n];
        Long[] customers = new Long[n];
        String[] times = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            NewEvent e = events.get(i);
            topics[i] = e.topic();
            types[i] = e.type();
            customers[i] = e.customerId();
            times[i] = e.occurredAt().toString();
            payloads[i] = write(e.payload());
        }
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement(INSERT);
            ps.setArray(1, c.createArrayOf("text", topics));
            ps.setArray(2, c.createArrayOf("text", types));
            ps.setArray(3, c.createArrayOf("bigint", customers));
            ps.setArray(4, c.createArrayOf("text", times));
            ps.setArray(5, c.createArrayOf("text", payloads));
            return ps;
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
