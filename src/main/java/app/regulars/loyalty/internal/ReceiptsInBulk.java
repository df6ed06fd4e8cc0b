package app.regulars.loyalty.internal;

import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.loyalty.internal.EarningRules.Basket;
import app.regulars.loyalty.internal.EarningRules.Line;
import app.regulars.loyalty.internal.EarningRules.Outcome;
import app.regulars.loyalty.internal.Ledger.AccountRow;
import app.regulars.platform.EventFeed;
import app.regulars.platform.FeedEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Earns a run of plain receipts (no bonus to decide, no debt to repay, each customer at most once)
 * with a constant number of statements, whatever the run's length: the same outcome as earning
 * them one by one, at the speed bulk imports and busy tills need. The accounts are locked by the
 * caller.
 */
@Component
class ReceiptsInBulk {

    /** One receipt of the run, as the consumer read it. */
    record Receipt(FeedEvent event, long customerId, long receiptId, Long storeId, ZoneId zone, LocalDate day,
                   long totalCents, List<Line> lines, String source, String receiptNo) {

        static Receipt of(FeedEvent e, Function<Long, ZoneId> zones) {
            JsonNode p = e.payload();
            Long storeId = p.hasNonNull("storeId") ? p.path("storeId").asLong() : null;
            ZoneId zone = zones.apply(storeId);
            List<Line> lines = new ArrayList<>();
            for (JsonNode l : p.path("lines")) {
                lines.add(new Line(l.path("skuId").asLong(), l.hasNonNull("category") ? l.path("category").asText() : null,
                        l.path("amountCents").asLong()));
            }
            return new Receipt(e, e.customerId(), p.path("receiptId").asLong(), storeId, zone,
                    LocalDate.ofInstant(e.occurredAt(), zone), p.path("totalCents").asLong(), lines,
                    p.hasNonNull("source") ? p.path("source").asText() : null,
                    p.hasNonNull("receiptNo") ? p.path("receiptNo").asText() : null);
        }
    }

    private final JdbcTemplate jdbc;
    private final EventFeed feed;
    private final TierKeeper tiers;
    private final CustomerProfiles profiles;
    private final ObjectMapper json;
    private final Clock clock;

    ReceiptsInBulk(JdbcTemplate jdbc, EventFeed feed, TierKeeper tiers, CustomerProfiles profiles, ObjectMapper json,
                   Clock clock) {
        this.jdbc = jdbc;
        this.feed = feed;
        this.tiers = tiers;
        this.profiles = profiles;
        this.json = json;
        this.clock = clock;
    }

    void earn(List<Receipt> run, Settings settings, EarningRules rules, List<Tier> tierList, Map<Long, AccountRow> accounts,
              ZoneId programmeZone) {
        if (run.isEmpty()) {
            return;
        }
        // Outcomes first (in memory), so each receipt's record is written once, complete.
        Map<Long, Outcome> outcomes = new HashMap<>();
        for (Receipt r : run) {
            boolean earns = settings.earnFrom() == null || !r.event().occurredAt().isBefore(settings.earnFrom());
            String birth = null;
            if (earns && !rules.active("birthday_month", r.day(), r.storeId()).isEmpty()) {
                birth = profiles.profile(r.customerId()).map(CustomerProfile::birthMmdd).orElse(null);
            }
            Tier tier = TierKeeper.byCode(tierList, accounts.get(r.customerId()).tierCode());
            outcomes.put(r.receiptId(), earns ? rules.earn(new Basket(r.storeId(), r.day(), r.totalCents(), r.lines()), birth,
                    tier.pointsMultiplier()) : new Outcome(0, Map.of(), Map.of(), Set.of()));
        }
        Set<Long> fresh = insertReceipts(run, outcomes);
        List<Receipt> receipts = run.stream().filter(r -> fresh.contains(r.receiptId())).toList();
        if (receipts.isEmpty()) {
            return;
        }
        insertLines(receipts, outcomes);
        markFirstReceipts(receipts, accounts);
        credit(receipts.stream().filter(r -> outcomes.get(r.receiptId()).points() > 0).toList(), outcomes, settings,
                tierList, accounts);
        linkCashRedemptions(receipts);
        recordActivity(receipts, outcomes);
        Map<Long, String> upgraded = upgrade(receipts, settings, tierList, accounts, programmeZone);
        // The caller's cached accounts, as the rows now read (no second round trip).
        for (Receipt r : receipts) {
            AccountRow a = accounts.get(r.customerId());
            accounts.put(r.customerId(), new AccountRow(a.customerId(), a.balance() + outcomes.get(r.receiptId()).points(),
                    a.debt(), a.shortfall(), a.firstReceiptId() == null ? Long.valueOf(r.receiptId()) : a.firstReceiptId(),
                    upgraded.getOrDefault(r.customerId(), a.tierCode())));
        }
    }

    /** The receipts' records, the once-guard: returns the ids written now. */
    private Set<Long> insertReceipts(List<Receipt> run, Map<Long, Outcome> outcomes) {
        Set<Long> fresh = new HashSet<>();
        jdbc.query("""
                insert into receipt_earning (receipt_id, customer_id, source, receipt_no, store_id, purchased_at, amount_cents, earned)
                select r, c, s, n, st, a::timestamptz, t, e
                from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[])
                     as u(r, c, s, n, st, a, t, e)
                on conflict do nothing returning receipt_id""", rs -> {
            fresh.add(rs.getLong(1));
        }, longs(run, Receipt::receiptId), longs(run, Receipt::customerId),
                run.stream().map(Receipt::source).toArray(String[]::new),
                run.stream().map(Receipt::receiptNo).toArray(String[]::new),
                run.stream().map(Receipt::storeId).toArray(Long[]::new),
                run.stream().map(r -> r.event().occurredAt().toString()).toArray(String[]::new),
                longs(run, Receipt::totalCents), longs(run, r -> outcomes.get(r.receiptId()).points()));
        return fresh;
    }

    private void insertLines(List<Receipt> receipts, Map<Long, Outcome> outcomes) {
        List<Long> receiptIds = new ArrayList<>();
        List<Long> skus = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        List<Long> milli = new ArrayList<>();
        for (Receipt r : receipts) {
            Map<Long, Long> bySku = new LinkedHashMap<>();
            r.lines().forEach(l -> bySku.merge(l.skuId(), Math.max(0, l.amountCents()), Long::sum));
            Outcome o = outcomes.get(r.receiptId());
            bySku.forEach((sku, amount) -> {
                receiptIds.add(r.receiptId());
                skus.add(sku);
                amounts.add(amount);
                milli.add(o.milliBySku().getOrDefault(sku, 0L));
            });
        }
        jdbc.update("""
                insert into receipt_earning_line (receipt_id, sku_id, amount_cents, points_milli)
                select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])""",
                receiptIds.toArray(Long[]::new), skus.toArray(Long[]::new), amounts.toArray(Long[]::new),
                milli.toArray(Long[]::new));
    }

    private void markFirstReceipts(List<Receipt> receipts, Map<Long, AccountRow> accounts) {
        List<Receipt> firsts = receipts.stream().filter(r -> accounts.get(r.customerId()).firstReceiptId() == null).toList();
        if (!firsts.isEmpty()) {
            jdbc.update("""
                    update points_account a set first_receipt_id = u.r from unnest(?::bigint[], ?::bigint[]) as u(c, r)
                    where a.customer_id = u.c and a.first_receipt_id is null""",
                    longs(firsts, Receipt::customerId), longs(firsts, Receipt::receiptId));
        }
    }

    /** One entry and one lot per earning receipt, the balances, and the points.earned events. */
    private void credit(List<Receipt> earning, Map<Long, Outcome> outcomes, Settings settings, List<Tier> tierList,
                        Map<Long, AccountRow> accounts) {
        if (earning.isEmpty()) {
            return;
        }
        Map<String, Long> entryIds = new HashMap<>();
        jdbc.query("""
                insert into points_entry (customer_id, kind, points, reason, idempotency_key, receipt_id, actor, detail, occurred_at)
                select c, 'earn', p, n, k, r, 'system', d::jsonb, a::timestamptz
                from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                     as u(c, p, n, k, r, d, a)
                on conflict (idempotency_key) do nothing returning id, idempotency_key""", rs -> {
            entryIds.put(rs.getString(2), rs.getLong(1));
        }, longs(earning, Receipt::customerId), longs(earning, r -> outcomes.get(r.receiptId()).points()),
                earning.stream().map(r -> r.receiptNo() != null ? r.receiptNo() : "#" + r.receiptId()).toArray(String[]::new),
                earning.stream().map(r -> key(r)).toArray(String[]::new), longs(earning, Receipt::receiptId),
                earning.stream().map(r -> detail(outcomes.get(r.receiptId()),
                        TierKeeper.byCode(tierList, accounts.get(r.customerId()).tierCode()))).toArray(String[]::new),
                earning.stream().map(r -> r.event().occurredAt().toString()).toArray(String[]::new));
        List<Receipt> written = earning.stream().filter(r -> entryIds.containsKey(key(r))).toList();
        jdbc.update("""
                insert into points_lot (customer_id, entry_id, points, remaining, earned_at, available_at, expires_at, receipt_id)
                select c, e, p, p, a::timestamptz, v::timestamptz, x::timestamptz, r
                from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                     as u(c, e, p, a, v, x, r)""",
                longs(written, Receipt::customerId), longs(written, r -> entryIds.get(key(r))),
                longs(written, r -> outcomes.get(r.receiptId()).points()),
                written.stream().map(r -> r.event().occurredAt().toString()).toArray(String[]::new),
                written.stream().map(r -> r.event().occurredAt().plusSeconds(86_400L * settings.pendingDays()).toString())
                        .toArray(String[]::new),
                written.stream().map(r -> {
                    Instant x = Expiry.of(settings, r.event().occurredAt(), r.zone());
                    return x == null ? null : x.toString();
                }).toArray(String[]::new),
                longs(written, Receipt::receiptId));
        jdbc.update("""
                update points_account a set balance = a.balance + u.p, updated_at = ? from unnest(?::bigint[], ?::bigint[]) as u(c, p)
                where a.customer_id = u.c""", Timestamp.from(clock.instant()), longs(written, Receipt::customerId),
                longs(written, r -> outcomes.get(r.receiptId()).points()));
        List<EventFeed.NewEvent> events = new ArrayList<>();
        for (Receipt r : written) {
            long points = outcomes.get(r.receiptId()).points();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("entryId", entryIds.get(key(r)));
            payload.put("kind", "earn");
            payload.put("points", points);
            payload.put("receiptId", r.receiptId());
            payload.put("balance", accounts.get(r.customerId()).balance() + points);
            events.add(new EventFeed.NewEvent(Ledger.TOPIC, "points.earned", r.customerId(), r.event().occurredAt(), payload));
        }
        feed.appendAll(events);
    }

    private void linkCashRedemptions(List<Receipt> receipts) {
        List<Receipt> keyed = receipts.stream().filter(r -> r.source() != null && r.receiptNo() != null).toList();
        if (keyed.isEmpty()) {
            return;
        }
        jdbc.update("""
                update cash_redemption c set receipt_id = u.r from unnest(?::text[], ?::text[], ?::bigint[]) as u(s, n, r)
                where c.source = u.s and c.transaction_id = u.n and c.receipt_id is null""",
                keyed.stream().map(Receipt::source).toArray(String[]::new),
                keyed.stream().map(Receipt::receiptNo).toArray(String[]::new), longs(keyed, Receipt::receiptId));
    }

    private void recordActivity(List<Receipt> receipts, Map<Long, Outcome> outcomes) {
        jdbc.update("""
                insert into tier_activity as t (customer_id, day, spend_cents, points)
                select c, d::date, sum(s), sum(p) from unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[]) as u(c, d, s, p)
                group by c, d::date
                on conflict (customer_id, day) do update set spend_cents = t.spend_cents + excluded.spend_cents,
                    points = t.points + excluded.points""",
                longs(receipts, Receipt::customerId), receipts.stream().map(r -> r.day().toString()).toArray(String[]::new),
                longs(receipts, Receipt::totalCents), longs(receipts, r -> outcomes.get(r.receiptId()).points()));
    }

    /** One query for everyone's 12 months; a tier change is written only for those who crossed a threshold. */
    private Map<Long, String> upgrade(List<Receipt> receipts, Settings settings, List<Tier> tierList,
                                      Map<Long, AccountRow> accounts, ZoneId zone) {
        Map<Long, String> upgraded = new HashMap<>();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Long[] below = receipts.stream().map(Receipt::customerId).distinct()
                .filter(c -> TierKeeper.byCode(tierList, accounts.get(c).tierCode()).rank() < tierList.getLast().rank())
                .toArray(Long[]::new);
        if (below.length == 0) {
            return upgraded;
        }
        Map<Long, TierKeeper.Qualifying> figures = new HashMap<>();
        jdbc.query("""
                select customer_id, sum(spend_cents), sum(points) from tier_activity
                where customer_id = any(?) and day > ? and day <= ? group by customer_id""", rs -> {
            figures.put(rs.getLong(1), new TierKeeper.Qualifying(rs.getLong(2), rs.getLong(3)));
        }, below, java.sql.Date.valueOf(today.minusDays(365)), java.sql.Date.valueOf(today));
        for (Long customer : below) {
            Tier current = TierKeeper.byCode(tierList, accounts.get(customer).tierCode());
            TierKeeper.Qualifying q = figures.getOrDefault(customer, new TierKeeper.Qualifying(0, 0));
            Tier reached = TierKeeper.qualified(tierList, settings, q.value(settings));
            if (reached.rank() > current.rank()) {
                tiers.upgradeIfReached(customer, current, now, zone, settings, tierList);
                upgraded.put(customer, reached.code());
            }
        }
        return upgraded;
    }

    private String detail(Outcome o, Tier tier) {
        try {
            return json.writeValueAsString(Map.of("rules", o.applied(), "tierMultiplier", tier.pointsMultiplier()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(Receipt r) {
        return "receipt:" + r.receiptId() + ":earn";
    }

    private static Long[] longs(List<Receipt> list, Function<Receipt, Long> f) {
        return list.stream().map(f).toArray(Long[]::new);
    }
}
