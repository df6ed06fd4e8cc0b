package app.regulars.loyalty.internal;

import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.platform.EventFeed;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tiers from qualifying spend or qualifying points over a rolling 12 months (kept in tier_activity,
 * apart from spendable points). Upgrades happen as soon as a receipt crosses a threshold; downgrades
 * only at the member's review date, by at most one level, and not for a member within the grace
 * share below the threshold. A manual tier holds until its end date.
 */
@Component
class TierKeeper {

    /** Qualifying figures over the 12 months up to a day. */
    record Qualifying(long spendCents, long points) {
        long value(Settings s) {
            return "points".equals(s.tierBasis()) ? points : spendCents;
        }
    }

    private final JdbcTemplate jdbc;
    private final EventFeed feed;

    TierKeeper(JdbcTemplate jdbc, EventFeed feed) {
        this.jdbc = jdbc;
        this.feed = feed;
    }

    /** Adds a receipt's (or a refund's, negative) spend and qualifying points to its day. */
    void record(long customerId, LocalDate day, long spendCents, long points) {
        jdbc.update("""
                insert into tier_activity as t (customer_id, day, spend_cents, points) values (?, ?, ?, ?)
                on conflict (customer_id, day) do update set spend_cents = t.spend_cents + excluded.spend_cents,
                    points = t.points + excluded.points""", customerId, day, spendCents, points);
    }

    Qualifying qualifying(long customerId, LocalDate today) {
        return jdbc.queryForObject("""
                select coalesce(sum(spend_cents), 0), coalesce(sum(points), 0) from tier_activity
                where customer_id = ? and day > ? and day <= ?""", (rs, i) -> new Qualifying(rs.getLong(1), rs.getLong(2)),
                customerId, today.minusDays(365), today);
    }

    String current(long customerId) {
        return jdbc.query("select tier_code from points_account where customer_id = ?", (rs, i) -> rs.getString(1),
                customerId).stream().findFirst().orElse(null);
    }

    /** The highest tier the value reaches. */
    static Tier qualified(List<Tier> tiers, Settings s, long value) {
        Tier best = tiers.getFirst();
        for (Tier t : tiers) {
            long threshold = "points".equals(s.tierBasis()) ? t.minPoints() : t.minSpendCents();
            if (value >= threshold && t.rank() >= best.rank()) {
                best = t;
            }
        }
        return best;
    }

    static Tier byCode(List<Tier> tiers, String code) {
        return tiers.stream().filter(t -> t.code().equals(code)).findFirst().orElse(tiers.getFirst());
    }

    /** After a receipt (account row locked): upgrade now when a higher tier is reached. */
    void upgradeIfReached(long customerId, Tier current, Instant now, ZoneId zone, Settings s, List<Tier> tiers) {
        if (current.rank() >= tiers.getLast().rank()) {
            return; // nothing above
        }
        LocalDate today = LocalDate.ofInstant(now, zone);
        Tier reached = qualified(tiers, s, qualifying(customerId, today).value(s));
        if (reached.rank() > current.rank()) {
            change(customerId, current, reached, now, zone, s, "upgrade", tiers);
        }
    }

    /**
     * Reviews one member whose review date has come (account row locked): keep, or move down by at
     * most one level; an ended manual tier gives way to the qualified one.
     */
    void review(long customerId, Instant now, ZoneId zone, Settings s, List<Tier> tiers) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        Map<String, Object> row = jdbc.queryForMap(
                "select tier_code, tier_review_on, manual_tier_until from points_account where customer_id = ?", customerId);
        Tier current = byCode(tiers, (String) row.get("tier_code"));
        long value = qualifying(customerId, today).value(s);
        Tier reached = qualified(tiers, s, value);
        Timestamp manualUntil = (Timestamp) row.get("manual_tier_until");
        if (manualUntil != null) {
            if (manualUntil.toInstant().isAfter(now)) {
                return;
            }
            jdbc.update("update points_account set manual_tier_until = null where customer_id = ?", customerId);
            if (reached.rank() != current.rank()) {
                change(customerId, current, reached, now, zone, s, "manual_ended", tiers);
            } else {
                schedule(customerId, today, now, zone, s, current, tiers);
            }
            return;
        }
        java.sql.Date due = (java.sql.Date) row.get("tier_review_on");
        if (due == null || due.toLocalDate().isAfter(today)) {
            return;
        }
        if (reached.rank() >= current.rank()) {
            if (reached.rank() > current.rank()) {
                change(customerId, current, reached, now, zone, s, "upgrade", tiers);
            } else {
                schedule(customerId, due.toLocalDate(), now, zone, s, current, tiers);
            }
            return;
        }
        long threshold = "points".equals(s.tierBasis()) ? current.minPoints() : current.minSpendCents();
        if (value * 100 >= threshold * (100L - s.tierGracePct())) {
            schedule(customerId, due.toLocalDate(), now, zone, s, current, tiers); // within grace: kept for another period
            return;
        }
        Tier oneDown = tiers.stream().filter(t -> t.rank() < current.rank()).reduce((a, b) -> b).orElse(current);
        Tier next = reached.rank() > oneDown.rank() ? reached : oneDown;
        change(customerId, current, next, now, zone, s, "review", tiers);
    }

    /** Sets a tier by hand until the given moment (account row locked). */
    void setManual(long customerId, Tier tier, Instant until, Instant now, ZoneId zone, Settings s, List<Tier> tiers,
                   String reason) {
        Tier current = byCode(tiers, current(customerId));
        jdbc.update("update points_account set manual_tier_until = ? where customer_id = ?", Timestamp.from(until),
                customerId);
        if (current.code().equals(tier.code())) {
            return;
        }
        change(customerId, current, tier, now, zone, s, "manual: " + reason, tiers);
        jdbc.update("update points_account set tier_review_on = null where customer_id = ?", customerId);
    }

    /** A member whose receipts reached a higher tier. */
    record Upgrade(long customerId, Tier from, Tier to) {}

    /**
     * Upgrades many members at once (account rows locked), as {@link #upgradeIfReached} does one by
     * one, in one statement; returns their {@code tier.changed} events for the caller to append.
     */
    List<EventFeed.NewEvent> upgradeAll(List<Upgrade> upgrades, Instant now, ZoneId zone, Settings s, List<Tier> tiers) {
        if (upgrades.isEmpty()) {
            return List.of();
        }
        LocalDate today = LocalDate.ofInstant(now, zone);
        Long[] customers = new Long[upgrades.size()];
        String[] codes = new String[upgrades.size()];
        String[] reviews = new String[upgrades.size()];
        List<EventFeed.NewEvent> events = new ArrayList<>(upgrades.size());
        for (int i = 0; i < upgrades.size(); i++) {
            Upgrade u = upgrades.get(i);
            customers[i] = u.customerId();
            codes[i] = u.to().code();
            LocalDate next = nextReview(today, s, u.to(), tiers);
            reviews[i] = next == null ? null : next.toString();
            events.add(changed(u.customerId(), u.from(), u.to(), now, "upgrade"));
        }
        // A tier reached on merit replaces a manual one.
        jdbc.update("""
                update points_account a set tier_code = u.t, tier_since = ?, updated_at = ?, manual_tier_until = null,
                    tier_review_on = u.r
                from unnest(?::bigint[], ?::text[], ?::date[]) as u(c, t, r) where a.customer_id = u.c""",
                Timestamp.from(now), Timestamp.from(now), customers, codes, reviews);
        return events;
    }

    private void change(long customerId, Tier from, Tier to, Instant now, ZoneId zone, Settings s, String reason,
                        List<Tier> tiers) {
        jdbc.update("update points_account set tier_code = ?, tier_since = ?, updated_at = ? where customer_id = ?",
                to.code(), Timestamp.from(now), Timestamp.from(now), customerId);
        if (!reason.startsWith("manual")) {
            // A tier reached on merit replaces a manual one.
            jdbc.update("update points_account set manual_tier_until = null where customer_id = ?", customerId);
        }
        schedule(customerId, LocalDate.ofInstant(now, zone), now, zone, s, to, tiers);
        feed.appendAll(List.of(changed(customerId, from, to, now, reason)));
    }

    private static EventFeed.NewEvent changed(long customerId, Tier from, Tier to, Instant now, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("from", from.code());
        payload.put("to", to.code());
        payload.put("direction", to.rank() > from.rank() ? "up" : "down");
        payload.put("reason", reason.startsWith("manual") ? "manual" : reason);
        return new EventFeed.NewEvent(Ledger.TOPIC, "tier.changed", customerId, now, payload);
    }

    private void schedule(long customerId, LocalDate from, Instant now, ZoneId zone, Settings s, Tier tier, List<Tier> tiers) {
        jdbc.update("update points_account set tier_review_on = ? where customer_id = ?", nextReview(from, s, tier, tiers),
                customerId);
    }

    /** The next review: a year after the last one (anniversary) or the next fixed date; none for the lowest tier. */
    private static LocalDate nextReview(LocalDate from, Settings s, Tier tier, List<Tier> tiers) {
        if (tier.rank() <= tiers.getFirst().rank()) {
            return null;
        }
        if ("fixed".equals(s.tierReview())) {
            MonthDay md = MonthDay.of(Integer.parseInt(s.tierReviewMmdd().substring(0, 2)),
                    Integer.parseInt(s.tierReviewMmdd().substring(2)));
            LocalDate candidate = md.atYear(from.getYear());
            return candidate.isAfter(from) ? candidate : md.atYear(from.getYear() + 1);
        }
        return from.plusYears(1);
    }
}
