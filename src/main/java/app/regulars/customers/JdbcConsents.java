package app.regulars.customers;

import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.EventFeed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
        Long survivor = jdbc.query("select coalesce(merged_into, id) from customer where id = ? for update",
                (rs, i) -> rs.getLong(1), customerId).stream().findFirst()
                .orElseThrow(() -> ApiProblem.notFound("customer " + customerId));
        Consent consent = new Consent(survivor, change.channel(), change.purpose(), change.granted(),
                (change.at() == null ? clock.instant() : change.at()).truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                change.source() == null || change.source().isBlank() ? "api" : change.source().strip(),
                blankToNull(change.noticeVersion()), blankToNull(change.evidence()));
        boolean repeat = current(survivor).stream().anyMatch(c -> c.channel().equals(consent.channel())
                && c.purpose().equals(consent.purpose()) && c.granted() == consent.granted()
                && c.at().equals(consent.at()) && c.source().equals(consent.source()));
        if (repeat) {
            return consent;
        }
        jdbc.update("""
                        insert into consent (customer_id, channel, purpose, granted, at, source, notice_version, evidence)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""", survivor, consent.channel(), consent.purpose(),
                consent.granted(), Timestamp.from(consent.at()), consent.source(), consent.noticeVersion(),
                consent.evidence());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("customerId", survivor);
        payload.put("channel", consent.channel());
        payload.put("purpose", consent.purpose());
        payload.put("granted", consent.granted());
        feed.append(CustomerEvents.TOPIC, CustomerEvents.CONSENT, survivor, consent.at(), payload);
        return consent;
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
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "required"));
            return errors;
        }
        if (!Consent.CHANNELS.contains(change.channel())) {
            errors.add(new FieldError(prefix + "channel", "one of " + String.join(", ", Consent.CHANNELS)));
        }
        if (!Consent.PURPOSES.contains(change.purpose())) {
            errors.add(new FieldError(prefix + "purpose", "one of " + String.join(", ", Consent.PURPOSES)));
        }
        if (change.granted() == null) {
            errors.add(new FieldError(prefix + "granted", "required (true or false)"));
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
