package app.regulars.loyalty.internal;

import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.platform.EventFeed;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Time-driven loyalty work: expiring lots, reminding of points about to expire, reviewing tiers. All
 * state is in the database and every step rechecks it under the customer's lock, so a restart (or
 * a second node running the same job) neither loses nor doubles an expiry: a lot expires through
 * the entry keyed by its id, once; a reminder is a row per (customer, expiry day), once.
 */
@Component
class LoyaltySchedule {

    private static final Logger log = LoggerFactory.getLogger(LoyaltySchedule.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final Programme programme;
    private final TierKeeper tiers;
    private final EventFeed feed;
    private final TransactionTemplate tx;
    private final Clock clock;

    LoyaltySchedule(JdbcTemplate jdbc, Ledger ledger, Programme programme, TierKeeper tiers, EventFeed feed,
                    TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.programme = programme;
        this.tiers = tiers;
        this.feed = feed;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${regulars.loyalty.schedule-initial-delay:PT1M}",
               fixedDelayString = "${regulars.loyalty.schedule-every:PT10M}")
    void run() {
        Instant now = clock.instant();
        try {
            expireDue(now);
            remind(now);
            reviewTiers(now);
        } catch (RuntimeException e) {
            log.error("Loyalty schedule failed; the next run takes over where it stopped", e);
        }
    }

    /** Expires every lot due by {@code now}, one customer per transaction; returns the points expired. */
    long expireDue(Instant now) {
        long total = 0;
        while (true) {
            List<Long> due = jdbc.queryForList("""
                    select distinct customer_id from points_lot where remaining > 0 and expires_at <= ? limit ?""",
                    Long.class, Timestamp.from(now), BATCH);
            if (due.isEmpty()) {
                return total;
            }
            for (long customer : due) {
                total += expireCustomer(customer, now);
            }
        }
    }

    /** Expires one customer's due lots (what the schedule does for everyone). */
    long expireCustomer(long customerId, Instant now) {
        Long expired = tx.execute(status -> ledger.expire(customerId, now));
        return expired == null ? 0 : expired;
    }

    /** Reviews one customer's tier as the schedule would at {@code now}. */
    void reviewCustomer(long customerId, Instant now) {
        Settings s = programme.settings();
        List<Tier> tierList = programme.tiers();
        tx.executeWithoutResult(status -> {
            ledger.lock(customerId, now);
            tiers.review(customerId, now, programme.zone(), s, tierList);
        });
    }

    /** One {@code points.expiring} event per customer and expiry day, {@code reminderDays} ahead. */
    int remind(Instant now) {
        Settings s = programme.settings();
        if (s.reminderDays() == 0) {
            return 0;
        }
        Integer sent = tx.execute(status -> {
            List<Map<String, Object>> due = jdbc.queryForList("""
                    select l.customer_id, l.day, sum(l.remaining) as points
                    from (select customer_id, remaining, (expires_at at time zone ?)::date as day from points_lot
                          where remaining > 0 and expires_at > ? and expires_at <= ?) l
                    group by 1, 2
                    having not exists (select 1 from expiry_reminder r where r.customer_id = l.customer_id and r.expires_on = l.day)
                    limit 5000""", programme.zone().getId(), Timestamp.from(now),
                    Timestamp.from(now.plusSeconds(86_400L * s.reminderDays())));
            int count = 0;
            for (Map<String, Object> row : due) {
                long customer = ((Number) row.get("customer_id")).longValue();
                LocalDate day = ((java.sql.Date) row.get("day")).toLocalDate();
                long points = ((Number) row.get("points")).longValue();
                if (jdbc.update("insert into expiry_reminder (customer_id, expires_on, points) values (?, ?, ?) on conflict do nothing",
                        customer, day, points) == 1) {
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("points", points);
                    payload.put("expiresOn", day.toString());
                    feed.append(Ledger.TOPIC, "points.expiring", customer, now, payload);
                    count++;
                }
            }
            return count;
        });
        return sent == null ? 0 : sent;
    }

    /** Reviews members whose review date has come, and those whose manual tier has ended. */
    int reviewTiers(Instant now) {
        Settings s = programme.settings();
        List<Tier> tierList = programme.tiers();
        LocalDate today = LocalDate.ofInstant(now, programme.zone());
        List<Long> due = jdbc.queryForList("""
                select customer_id from points_account where tier_review_on <= ? or manual_tier_until <= ?
                order by customer_id limit 10000""", Long.class, today, Timestamp.from(now));
        for (long customer : due) {
            tx.executeWithoutResult(status -> {
                ledger.lock(customer, now);
                tiers.review(customer, now, programme.zone(), s, tierList);
            });
        }
        return due.size();
    }
}
