package app.regulars.insights;

import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleJson;
import app.regulars.insights.rule.RuleMessage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The stored tags and segments (table rows, without members). A few dozen rows: read on every use. */
@Component
class Definitions {

    private static final int MOST_READ_RULES = 4_096;
    private static final Map<String, Rule> READ_RULES = new ConcurrentHashMap<>();

    /**
     * A tag or segment as stored; {@code ruleJson} null for a manual tag. {@code problem} is what the last
     * evaluation found, in the API's English, and {@code problemMessage} the same as a rule message (null
     * when it was recorded before messages were stored).
     */
    record Definition(Kind kind, long id, String name, String description, String ruleJson, String ruleText,
                      String builtin, String problem, RuleMessage problemMessage, Instant computedAt,
                      Instant updatedAt) {

        boolean hasRule() {
            return ruleJson != null;
        }

        /**
         * The rule, read once per stored text: a round reads every definition afresh and asked each for its
         * rule several times (order, RFM, check, evaluation), which had the JSON parsed a dozen times a round
         * per definition. Rules are immutable, so one may serve every caller.
         */
        Rule rule() {
            Rule rule = READ_RULES.get(ruleJson);
            if (rule == null) {
                rule = RuleJson.read(ruleJson); // a rule that does not read throws, and nothing is kept
                if (READ_RULES.size() >= MOST_READ_RULES) {
                    READ_RULES.clear(); // old texts of edited rules; the living ones come back at once
                }
                READ_RULES.put(ruleJson, rule);
            }
            return rule;
        }

        /** "segment#12": the key of this definition's bitmap; stays when the definition is renamed. */
        String key() {
            return kind.table + "#" + id;
        }

        /** "segment:high value": how rules name this definition. */
        String nameKey() {
            return kind.key(name);
        }
    }

    enum Kind {
        TAG("tag"), SEGMENT("segment");

        final String table;

        Kind(String table) {
            this.table = table;
        }

        String key(String name) {
            return table + ":" + name;
        }
    }

    private final JdbcClient db;
    private final Clock clock;

    Definitions(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    List<Definition> all(Kind kind) {
        return db.sql("select * from " + kind.table + " order by builtin is null, id")
                .query((rs, i) -> definition(kind, rs)).list();
    }

    Optional<Definition> find(Kind kind, long id) {
        return db.sql("select * from " + kind.table + " where id = ?").param(id)
                .query((rs, i) -> definition(kind, rs)).optional();
    }

    Optional<Definition> findByName(Kind kind, String name) {
        return db.sql("select * from " + kind.table + " where lower(name) = lower(?)").param(name.strip())
                .query((rs, i) -> definition(kind, rs)).optional();
    }

    long insert(Kind kind, String name, String description, String ruleJson, String ruleText, String builtin) {
        Timestamp now = Timestamp.from(clock.instant());
        return db.sql("insert into " + kind.table + " (name, description, rule_json, rule_text, builtin, created_at, updated_at)"
                        + " values (?, ?, ?::jsonb, ?, ?, ?, ?) returning id")
                .params(name, description, ruleJson, ruleText, builtin, now, now)
                .query(Long.class).single();
    }

    /** A changed rule is evaluated afresh; its problem, if any, is found again by the next evaluation. */
    void update(Kind kind, long id, String name, String description, String ruleJson, String ruleText) {
        db.sql("update " + kind.table + " set name = ?, description = ?, rule_json = ?::jsonb, rule_text = ?,"
                        + " problem = null, problem_message = null, updated_at = ? where id = ?")
                .params(name, description, ruleJson, ruleText, Timestamp.from(clock.instant()), id)
                .update();
    }

    void delete(Kind kind, long id) {
        db.sql("delete from " + kind.table + " where id = ?").param(id).update();
    }

    /** What the last evaluation found wrong (null: nothing), in English for the API and as its message. */
    void recordProblem(Kind kind, long id, RuleMessage problem) {
        String english = problem == null ? null : problem.english();
        String message = problem == null ? null : StoredMessages.write(problem);
        db.sql("update " + kind.table + " set problem = ?, problem_message = ?::jsonb where id = ?"
                        + " and (problem is distinct from ? or problem_message is distinct from ?::jsonb)")
                .params(english, message, id, english, message).update();
    }

    void markComputed(Kind kind, long id) {
        db.sql("update " + kind.table + " set computed_at = ? where id = ? and computed_at is null")
                .params(Timestamp.from(clock.instant()), id).update();
    }

    private static Definition definition(Kind kind, ResultSet rs) throws SQLException {
        Timestamp computed = rs.getTimestamp("computed_at");
        return new Definition(kind, rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("rule_json"), rs.getString("rule_text"), rs.getString("builtin"), rs.getString("problem"),
                StoredMessages.read(rs.getString("problem_message")), computed == null ? null : computed.toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
