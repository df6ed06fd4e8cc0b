package app.regulars.loyalty.internal;

import app.regulars.customers.CustomerMerged;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * When two customers turn out to be one, the merged customer's points, lots, qualification and
 * history move to the survivor inside the merge's transaction: the survivor's balance becomes the sum
 * of both ledgers (the check still holds), the higher tier stays. Feed events still naming the merged
 * customer are earned for the survivor through {@code loyalty_redirect}.
 */
@Component
class LoyaltyFollowsMerges {

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final Programme programme;
    private final Clock clock;

    LoyaltyFollowsMerges(JdbcTemplate jdbc, Ledger ledger, Programme programme, Clock clock) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.programme = programme;
        this.clock = clock;
    }

    @EventListener
    void on(CustomerMerged merged) {
        long survivor = merged.survivorId();
        long gone = merged.mergedId();
        Instant now = clock.instant();
        // Both accounts locked in id order, as every other two-account writer would.
        ledger.lock(Math.min(survivor, gone), now);
        ledger.lock(Math.max(survivor, gone), now);
        jdbc.update("update loyalty_redirect set survivor_id = ? where survivor_id = ?", survivor, gone);
        jdbc.update("""
                insert into loyalty_redirect (merged_id, survivor_id) values (?, ?)
                on conflict (merged_id) do update set survivor_id = excluded.survivor_id""", gone, survivor);
        for (String table : List.of("points_entry", "points_lot", "points_shortfall", "receipt_earning", "cash_redemption",
                "gift_redemption", "coupon_exchange")) {
            jdbc.update("update " + table + " set customer_id = ? where customer_id = ?", survivor, gone);
        }
        jdbc.update("""
                insert into tier_activity as t (customer_id, day, spend_cents, points)
                select ?, day, spend_cents, points from tier_activity where customer_id = ?
                on conflict (customer_id, day) do update set spend_cents = t.spend_cents + excluded.spend_cents,
                    points = t.points + excluded.points""", survivor, gone);
        jdbc.update("delete from tier_activity where customer_id = ?", gone);
        List<Tier> tiers = programme.tiers();
        var both = jdbc.queryForList("select * from points_account where customer_id in (?, ?)", survivor, gone);
        var s = both.stream().filter(r -> ((Number) r.get("customer_id")).longValue() == survivor).findFirst().orElseThrow();
        var g = both.stream().filter(r -> ((Number) r.get("customer_id")).longValue() == gone).findFirst().orElseThrow();
        Tier keep = TierKeeper.byCode(tiers, (String) s.get("tier_code"));
        Tier other = TierKeeper.byCode(tiers, (String) g.get("tier_code"));
        boolean takeOther = other.rank() > keep.rank();
        jdbc.update("""
                update points_account set balance = balance + ?, debt = debt + ?, shortfall = shortfall + ?,
                    first_receipt_id = coalesce(first_receipt_id, ?),
                    tier_code = ?, tier_since = case when ? then ? else tier_since end,
                    tier_review_on = case when ? then ? else tier_review_on end, updated_at = now()
                where customer_id = ?""",
                g.get("balance"), g.get("debt"), g.get("shortfall"), g.get("first_receipt_id"),
                takeOther ? other.code() : keep.code(), takeOther, g.get("tier_since"), takeOther, g.get("tier_review_on"),
                survivor);
        jdbc.update("update points_account set balance = 0, debt = 0, shortfall = 0, tier_review_on = null where customer_id = ?",
                gone);
    }
}
