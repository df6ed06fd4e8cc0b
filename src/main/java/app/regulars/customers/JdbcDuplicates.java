package app.regulars.customers;

import app.regulars.platform.ApiProblem;
import app.regulars.platform.EventFeed;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Two customers sharing a phone or card on their profiles are probably one person (a card and a
 * phone registered apart, then given together). Merging keeps the survivor's values, fills its
 * gaps from the merged one and leaves the merged row as a pointer, so old ids keep resolving.
 */
@Service
@Transactional
class JdbcDuplicates implements Duplicates {

    private static final String CANDIDATES = """
            select a.id, b.id, 'phone' from customer a join customer b on b.phone_index = a.phone_index and b.id > a.id
            where a.merged_into is null and b.merged_into is null
            union all
            select a.id, b.id, 'card' from customer a join customer b on b.card_index = a.card_index and b.id > a.id
            where a.merged_into is null and b.merged_into is null
            order by 2 desc, 1 desc
            limit ?""";

    /** Survivor's values win; each personal value moves together with its blind index. */
    private static final String FILL = """
            update customer s set
                name = case when s.name is null then m.name else s.name end,
                name_index = case when s.name is null then m.name_index else s.name_index end,
                phone = case when s.phone is null then m.phone else s.phone end,
                phone_index = case when s.phone is null then m.phone_index else s.phone_index end,
                card_no = case when s.card_no is null then m.card_no else s.card_no end,
                card_index = case when s.card_no is null then m.card_index else s.card_index end,
                address = coalesce(s.address, m.address),
                birthday = case when s.birthday is null then m.birthday else s.birthday end,
                birth_mmdd = case when s.birthday is null then m.birth_mmdd else s.birth_mmdd end,
                age_band = case when s.birthday is null then m.age_band else s.age_band end,
                gender = coalesce(s.gender, m.gender),
                city = coalesce(s.city, m.city),
                region = coalesce(s.region, m.region),
                home_store_id = coalesce(s.home_store_id, m.home_store_id),
                registration_store_id = case when m.registered_at < s.registered_at
                    then coalesce(m.registration_store_id, s.registration_store_id) else s.registration_store_id end,
                registration_channel = case when m.registered_at < s.registered_at
                    then coalesce(m.registration_channel, s.registration_channel) else s.registration_channel end,
                registered_at = least(s.registered_at, m.registered_at),
                referrer_customer_id = coalesce(s.referrer_customer_id, nullif(m.referrer_customer_id, s.id)),
                advisor_staff_id = case when s.home_store_id is null or s.home_store_id = m.home_store_id
                    then coalesce(s.advisor_staff_id, m.advisor_staff_id) else s.advisor_staff_id end,
                custom = m.custom || s.custom,
                updated_at = ?
            from customer m
            where s.id = ? and m.id = ?""";

    private final JdbcTemplate jdbc;
    private final JdbcCustomers customers;
    private final EventFeed feed;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    JdbcDuplicates(JdbcTemplate jdbc, JdbcCustomers customers, EventFeed feed, ApplicationEventPublisher events,
                   Clock clock) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.feed = feed;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<Candidate> candidates(int limit) {
        record Pair(long a, long b, String shared) {}
        List<Pair> pairs = jdbc.query(CANDIDATES, (rs, i) -> new Pair(rs.getLong(1), rs.getLong(2), rs.getString(3)),
                Math.clamp(limit, 1, 1000));
        Set<String> seen = new HashSet<>();
        List<Candidate> result = new ArrayList<>();
        for (Pair p : pairs) {
            if (seen.add(p.a() + "/" + p.b())) { // sharing phone and card is still one candidate
                result.add(new Candidate(customers.summary(p.a()).orElseThrow(), customers.summary(p.b()).orElseThrow(),
                        p.shared()));
            }
        }
        return result;
    }

    @Override
    public void merge(long survivorId, long mergedId) {
        if (survivorId == mergedId) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("mergedId", "selfMerge", "cannot merge a customer into itself"));
        }
        Map<Long, Long> mergedInto = new LinkedHashMap<>();
        // Both rows locked in id order, so two opposite merges cannot deadlock or both succeed.
        jdbc.query("select id, merged_into from customer where id in (?, ?) order by id for update",
                rs -> {
                    mergedInto.put(rs.getLong(1), rs.getObject(2, Long.class));
                }, survivorId, mergedId);
        if (!mergedInto.containsKey(survivorId)) {
            throw ApiProblem.of(HttpStatus.NOT_FOUND, Refusals.CODES.of("survivorId", "noSuchCustomer", "no such customer"));
        }
        if (!mergedInto.containsKey(mergedId)) {
            throw ApiProblem.of(HttpStatus.NOT_FOUND, Refusals.CODES.of("mergedId", "noSuchCustomer", "no such customer"));
        }
        if (mergedInto.get(survivorId) != null) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("survivorId", "alreadyMerged", mergedInto.get(survivorId),
                    "already merged into customer " + mergedInto.get(survivorId)));
        }
        if (mergedInto.get(mergedId) != null) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("mergedId", "alreadyMerged", mergedInto.get(mergedId),
                    "already merged into customer " + mergedInto.get(mergedId)));
        }
        Instant now = clock.instant();
        Timestamp at = Timestamp.from(now);
        jdbc.update(FILL, at, survivorId, mergedId);
        jdbc.update("update customer_identity set customer_id = ? where customer_id = ?", survivorId, mergedId);
        // Consent history moves whole; the latest answer per (channel, purpose) is current, whoever gave it.
        jdbc.update("update consent set customer_id = ? where customer_id = ?", survivorId, mergedId);
        jdbc.update("""
                update customer set merged_into = ?, name_index = null, phone_index = null, card_index = null,
                    updated_at = ? where id = ?""", survivorId, at, mergedId);
        jdbc.update("update customer set merged_into = ? where merged_into = ?", survivorId, mergedId);
        jdbc.update("update customer set referrer_customer_id = ? where referrer_customer_id = ? and id <> ?",
                survivorId, mergedId, survivorId);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("survivor", survivorId);
        payload.put("merged", mergedId);
        feed.append(CustomerEvents.TOPIC, CustomerEvents.MERGED, survivorId, now, payload);
        events.publishEvent(new CustomerMerged(survivorId, mergedId));
    }
}
