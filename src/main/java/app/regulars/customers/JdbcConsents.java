package app.regulars.customers;

import app.regulars.customers.SqlArrays.Column;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.EventFeed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Consent history in one append-only table; "current" is the latest answer per (channel, purpose). */
@Service
@Transactional
class JdbcConsents implements Consents {

    private static final String SURVIVOR = "(select coalesce(merged_into, id) from customer where id = ?)";

    private final JdbcTemplate jdbc;
    private final EventFeed feed;
    private final Clock clock;

    JdbcConsents(JdbcTemplate jdbc, EventFeed feed, Clock clock) {
        this.jdbc = jdbc;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<Consent> current(long customerId) {
        return jdbc.query("""
                select distinct on (channel, purpose) * from consent where customer_id = %s
                order by channel, purpose, at desc, id desc""".formatted(SURVIVOR), (rs, i) -> consent(rs), customerId);
    }

    @Override
    @Transactional(readOnly = true)
    public List<Consent> history(long customerId) {
        return jdbc.query("select * from consent where customer_id = " + SURVIVOR + " order by at desc, id desc",
                (rs, i) -> consent(rs), customerId);
    }

    @Override
    public Consent record(long customerId, ConsentChange change) {
        List<FieldError> errors = check(change, "");
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return recordAll(List.of(new Given(customerId, change))).getFirst();
    }

    /** A checked change for a customer, as {@link #recordAll} takes it. */
    record Given(long customerId, ConsentChange change) {}

    /**
     * Records checked changes in a constant number of statements, in order: each is stored under the
     * customer's survivor unless it repeats that customer's current answer exactly (a retried form
     * or import adds nothing). Customers are locked in id order so concurrent batches cannot deadlock.
     * Returns the consents as recorded (or as already current), in the order given.
     */
    List<Consent> recordAll(List<Given> given) {
        if (given.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> survivors = new HashMap<>();
        SqlArrays.query(jdbc, "select id, coalesce(merged_into, id) from customer where id = any(?)",
                (rs, i) -> survivors.put(rs.getLong(1), rs.getLong(2)),
                Column.bigint(given.stream().map(Given::customerId).distinct().toList()));
        List<Long> locked = survivors.values().stream().distinct().sorted().toList();
        SqlArrays.query(jdbc, "select id from customer where id = any(?) order by id for update", (rs, i) -> null,
                Column.bigint(locked));
        Map<String, Consent> current = new HashMap<>(); // by customer, channel and purpose
        SqlArrays.query(jdbc, """
                        select distinct on (customer_id, channel, purpose) * from consent where customer_id = any(?)
                        order by customer_id, channel, purpose, at desc, id desc""",
                (rs, i) -> current.put(currentKey(consent(rs)), consent(rs)), Column.bigint(locked));
        List<Consent> recorded = new ArrayList<>(given.size());
        List<Consent> inserts = new ArrayList<>();
        Instant now = clock.instant();
        for (Given g : given) {
            Long survivor = survivors.get(g.customerId());
            if (survivor == null) {
                throw ApiProblem.notFound("customer " + g.customerId());
            }
            ConsentChange change = g.change();
            Consent consent = new Consent(survivor, change.channel(), change.purpose(), change.granted(),
                    (change.at() == null ? now : change.at()).truncatedTo(ChronoUnit.MICROS),
                    change.source() == null || change.source().isBlank() ? "api" : change.source().strip(),
                    blankToNull(change.noticeVersion()), blankToNull(change.evidence()));
            recorded.add(consent);
            Consent latest = current.get(currentKey(consent));
            boolean repeat = latest != null && latest.granted() == consent.granted()
                    && latest.at().equals(consent.at()) && latest.source().equals(consent.source());
            if (repeat) {
                continue;
            }
            inserts.add(consent);
            if (latest == null || !consent.at().isBefore(latest.at())) { // a tie goes to the newer row, as in current()
                current.put(currentKey(consent), consent);
            }
        }
        if (inserts.isEmpty()) {
            return recorded;
        }
        SqlArrays.update(jdbc, """
                        insert into consent (customer_id, channel, purpose, granted, at, source, notice_version, evidence)
                        select * from unnest(?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::timestamptz[],
                                             ?::text[], ?::text[], ?::text[])""",
                Column.bigint(inserts.stream().map(Consent::customerId).toList()),
                Column.text(inserts.stream().map(Consent::channel).toList()),
                Column.text(inserts.stream().map(Consent::purpose).toList()),
                new Column("boolean", inserts.stream().map(Consent::granted).toArray(Boolean[]::new)),
                new Column("timestamptz", inserts.stream().map(c -> Timestamp.from(c.at())).toArray(Timestamp[]::new)),
                Column.text(inserts.stream().map(Consent::source).toList()),
                Column.text(inserts.stream().map(Consent::noticeVersion).toList()),
                Column.text(inserts.stream().map(Consent::evidence).toList()));
        List<EventFeed.NewEvent> events = new ArrayList<>(inserts.size());
        for (Consent c : inserts) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("customerId", c.customerId());
            payload.put("channel", c.channel());
            payload.put("purpose", c.purpose());
            payload.put("granted", c.granted());
            events.add(new EventFeed.NewEvent(CustomerEvents.TOPIC, CustomerEvents.CONSENT, c.customerId(), c.at(), payload));
        }
        feed.appendAll(events);
        return recorded;
    }

    private static String currentKey(Consent c) {
        return c.customerId() + "/" + c.channel() + "/" + c.purpose();
    }

    @Override
    @Transactional(readOnly = true)
    public boolean mayContact(long customerId, String channel, String purpose) {
        return current(customerId).stream()
                .filter(c -> c.channel().equals(channel) && c.purpose().equals(purpose))
                .findFirst().map(Consent::granted)
                .orElse("service".equals(purpose));
    }

    /** What is wrong with a change, fields prefixed with its JSON path ("consents[1]."). */
    static List<FieldError> check(ConsentChange change, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (change == null) {
            errors.add(Refusals.CODES.of(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "required",
                    "required"));
            return errors;
        }
        if (!Consent.CHANNELS.contains(change.channel())) {
            String channels = String.join(", ", Consent.CHANNELS);
            errors.add(Refusals.CODES.of(prefix + "channel", "oneOf", channels, "one of " + channels));
        }
        if (!Consent.PURPOSES.contains(change.purpose())) {
            String purposes = String.join(", ", Consent.PURPOSES);
            errors.add(Refusals.CODES.of(prefix + "purpose", "oneOf", purposes, "one of " + purposes));
        }
        if (change.granted() == null) {
            errors.add(Refusals.CODES.of(prefix + "granted", "consentAnswer", "required (true or false)"));
        }
        return errors;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Consent consent(ResultSet rs) throws SQLException {
        Instant at = rs.getTimestamp("at").toInstant();
        return new Consent(rs.getLong("customer_id"), rs.getString("channel"), rs.getString("purpose"),
                rs.getBoolean("granted"), at, rs.getString("source"), rs.getString("notice_version"),
                rs.getString("evidence"));
    }
}
