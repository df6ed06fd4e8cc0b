package app.regulars.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit log: who did what to which subject. Runs in the caller's transaction, so an action that
 * rolls back leaves no trace claiming it happened. Details carry ids and facts, never personal data.
 */
@Component
public class Audit {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    Audit(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Records an action of the current caller ({@link Callers#current()}). */
    public void record(String action, String subjectType, String subjectId, Map<String, ?> detail) {
        recordAs(Callers.current().name(), action, subjectType, subjectId, detail);
    }

    void recordAs(String actor, String action, String subjectType, String subjectId, Map<String, ?> detail) {
        String body;
        try {
            body = json.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail of " + action + " is not JSON-serialisable", e);
        }
        jdbc.sql("""
                insert into audit_log (at, actor, action, subject_type, subject_id, detail)
                values (:at, :actor, :action, :subjectType, :subjectId, cast(:detail as jsonb))""")
                .param("at", Timestamp.from(clock.instant()))
                .param("actor", actor)
                .param("action", action)
                .param("subjectType", subjectType)
                .param("subjectId", subjectId)
                .param("detail", body)
                .update();
    }
}
