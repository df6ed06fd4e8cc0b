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
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
            JsonNode store = p.get("storeId");
            Long storeId = store == null || store.isNull() ? null : store.asLong();
            ZoneId zone = zones.apply(storeId);
            JsonNode lineNodes = p.path("lines");
            List<Line> lines = new ArrayList<>(lineNodes.size());
            for (JsonNode l : lineNodes) {
                lines.add(new Line(l.path("skuId").asLong(), text(l.get("category")), l.path("amountCents").asLong()));
            }
            return new Receipt(e, e.customerId(), p.path("receiptId").asLong(), storeId, zone,
                    LocalDate.ofInstant(e.occurredAt(), zone), p.path("totalCents").asLong(), lines,
                    text(p.get("source")), text(p.get("receiptNo")));
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    /** A receipt of the run with what it earns, worked out once. */
    private record Earning(Receipt receipt, Tier tier, Outcome outcome, SkuShares shares) {

        long customerId() {
            return receipt.customerId();
        }

        long points() {
            return outcome.points();
        }
    }

    /** A receipt written now (not before, by an earlier delivery), with its entry when it earned points. */
    private record Written(Earning earning, Long entryId) {

        long points() {
            return entryId == null ? 0 : earning.points();
        }
    }

    /**
     * Everything a run writes, in one statement (whatever the run's length): the receipts' records
     * (the once-guard: what was written before is left alone, and so is everything that depends on
     * it), their entries and lots, the balances and first receipts, the till's cash redemptions
     * linked, and the day's tier activity. One data-modifying CTE per table; they share one snapshot,
     * so each reads the others' RETURNING rows, never their tables. The accounts are also named by
     * {@code any(?)}: otherwise the planner, not knowing how few rows a CTE holds, reads every account.
     */
    private static final String WRITE_RUN = """
            with u (r, c, s, n, st, a, t, e, o, m, d, v, x, dy) as (
                     select * from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[],
                                          ?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::jsonb[], ?::timestamptz[],
                                          ?::timestamptz[], ?::date[])),
                 sku (ids, amounts, milli) as (select ?::bigint[], ?::bigint[], ?::bigint[]),
                 f as (insert into receipt_earning (receipt_id, customer_id, source, receipt_no, store_id, purchased_at,
                                                    amount_cents, earned, sku_ids, sku_amount_cents, sku_points_milli)
                       select r, c, s, n, st, a, t, e, ids[o + 1:o + m], amounts[o + 1:o + m], milli[o + 1:o + m] from u, sku
                       on conflict do nothing returning receipt_id),
                 fu as (select u.* from u join f on f.receipt_id = u.r),
                 en as (insert into points_entry (customer_id, kind, points, reason, idempotency_key, receipt_id, actor, detail,
                                                  occurred_at)
                        select c, 'earn', e, coalesce(n, '#' || r), 'receipt:' || r || ':earn', r, 'system', d, a from fu where e > 0
                        on conflict (idempotency_key) do nothing returning id, receipt_id, points),
                 lot as (insert into points_lot (customer_id, entry_id, points, remaining, earned_at, available_at, expires_at,
                                                 receipt_id)
                         select fu.c, en.id, fu.e, fu.e, fu.a, fu.v, fu.x, fu.r from en join fu on fu.r = en.receipt_id),
                 w as materialized (select fu.c, fu.r, en.points from fu left join en on en.receipt_id = fu.r),
                 acc as (update points_account p set balance = p.balance + coalesce(w.points, 0),
                                first_receipt_id = coalesce(p.first_receipt_id, w.r),
                                updated_at = case when w.points is null then p.updated_at else ? end
                         from w
                         where p.customer_id = any(?) and p.customer_id = w.c
                           and (w.points is not null or p.first_receipt_id is null)),
                 cash as (update cash_redemption k set receipt_id = fu.r from fu
                          where k.source = fu.s and k.transaction_id = fu.n and k.receipt_id is null),
                 act as (insert into tier_activity as ta (customer_id, day, spend_cents, points)
                         select c, dy, sum(t), sum(e) from fu group by c, dy
                         on conflict (customer_id, day) do update set spend_cents = ta.spend_cents + excluded.spend_cents,
                             points = ta.points + excluded.points)
            select f.receipt_id, en.id from f left join en on en.receipt_id = f.receipt_id""";

    private final JdbcTemplate jdbc;
    private final EventFeed feed;
    private final TierKeeper tiers;
    private final CustomerProfiles profiles;
    private final Clock clock;

    ReceiptsInBulk(JdbcTemplate jdbc, EventFeed feed, TierKeeper tiers, CustomerProfiles profiles, Clock clock) {
        this.jdbc = jdbc;
        this.feed = feed;
        this.tiers = tiers;
        this.profiles = profiles;
        this.clock = clock;
    }

    void earn(List<Receipt> run, Settings settings, EarningRules rules, List<Tier> tierList, Map<Long, AccountRow> accounts,
              ZoneId programmeZone) {
        if (run.isEmpty()) {
            return;
        }
        // Outcomes first (in memory), so each receipt's record is written once, complete.
        List<Earning> earnings = new ArrayList<>(run.size());
        for (Receipt r : run) {
            earnings.add(outcome(r, settings, rules, TierKeeper.byCode(tierList, accounts.get(r.customerId()).tierCode())));
        }
        List<Written> written = write(earnings, settings);
        if (written.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<TierKeeper.Upgrade> upgrades = upgrades(written, settings, tierList, now, programmeZone);
        // As one by one: the points.earned events in run order, then the tier.changed ones.
        List<EventFeed.NewEvent> events = earnedEvents(written, accounts);
        events.addAll(tiers.upgradeAll(upgrades, now, programmeZone, settings, tierList));
        feed.appendAll(events);
        refresh(accounts, written, upgrades);
    }

    /** The caller's cached accounts, as the rows now read (no second round trip). */
    private static void refresh(Map<Long, AccountRow> accounts, List<Written> written, List<TierKeeper.Upgrade> upgrades) {
        Map<Long, String> upgraded = new HashMap<>();
        upgrades.forEach(u -> upgraded.put(u.customerId(), u.to().code()));
        for (Written w : written) {
            long customer = w.earning().customerId();
            AccountRow a = accounts.get(customer);
            accounts.put(customer, new AccountRow(customer, a.balance() + w.points(), a.debt(), a.shortfall(),
                    a.firstReceiptId() == null ? Long.valueOf(w.earning().receipt().receiptId()) : a.firstReceiptId(),
                    upgraded.getOrDefault(customer, a.tierCode())));
        }
    }

    private Earning outcome(Receipt r, Settings settings, EarningRules rules, Tier tier) {
        boolean earns = settings.earnFrom() == null || !r.event().occurredAt().isBefore(settings.earnFrom());
        if (!earns) {
            return earning(r, tier, EarningRules.nothing(r.lines()));
        }
        String birth = null;
        if (!rules.active("birthday_month", r.day(), r.storeId()).isEmpty()) {
            birth = profiles.profile(r.customerId()).map(CustomerProfile::birthMmdd).orElse(null);
        }
        return earning(r, tier, rules.earn(new Basket(r.storeId(), r.day(), r.totalCents(), r.lines()), birth,
                tier.pointsMultiplier()));
    }

    private static Earning earning(Receipt r, Tier tier, Outcome o) {
        return new Earning(r, tier, o, SkuShares.earned(o));
    }

    /** Runs {@link #WRITE_RUN}: returns the receipts written now, in run order. */
    private List<Written> write(List<Earning> earnings, Settings settings) {
        int n = earnings.size();
        Long[] receiptIds = new Long[n];
        Long[] customers = new Long[n];
        String[] sources = new String[n];
        String[] numbers = new String[n];
        Long[] stores = new Long[n];
        String[] at = new String[n];
        Long[] totals = new Long[n];
        Long[] points = new Long[n];
        Integer[] offsets = new Integer[n];
        Integer[] counts = new Integer[n];
        String[] details = new String[n];
        String[] available = new String[n];
        String[] expires = new String[n];
        String[] days = new String[n];
        Skus skus = new Skus();
        for (int i = 0; i < n; i++) {
            Earning g = earnings.get(i);
            Receipt r = g.receipt();
            Instant occurred = r.event().occurredAt();
            receiptIds[i] = r.receiptId();
            customers[i] = r.customerId();
            sources[i] = r.source();
            numbers[i] = r.receiptNo();
            stores[i] = r.storeId();
            at[i] = occurred.toString();
            totals[i] = r.totalCents();
            points[i] = g.points();
            offsets[i] = skus.size;
            counts[i] = skus.add(g.shares());
            details[i] = detail(g.outcome(), g.tier());
            available[i] = occurred.plusSeconds(86_400L * settings.pendingDays()).toString();
            Instant x = Expiry.of(settings, occurred, r.zone());
            expires[i] = x == null ? null : x.toString();
            days[i] = r.day().toString();
        }
        Map<Long, Integer> position = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            position.put(receiptIds[i], i);
        }
        Written[] written = new Written[n];
        jdbc.query(WRITE_RUN, rs -> {
            int i = position.get(rs.getLong(1));
            written[i] = new Written(earnings.get(i), rs.getObject(2, Long.class));
        }, receiptIds, customers, sources, numbers, stores, at, totals, points, offsets, counts, details, available, expires,
                days, skus.ids(), skus.amounts(), skus.milli(), Timestamp.from(clock.instant()), customers);
        return Arrays.stream(written).filter(Objects::nonNull).toList();
    }

    /** The runs' SKU arrays end to end: receipt i's are {@code [offset, offset + count)}. */
    private static final class Skus {
        private long[] ids = new long[64];
        private long[] amounts = new long[64];
        private long[] milli = new long[64];
        int size;

        int add(SkuShares s) {
            int count = s.skuIds().length;
            if (size + count > ids.length) {
                int capacity = Math.max(size + count, ids.length * 2);
                ids = Arrays.copyOf(ids, capacity);
                amounts = Arrays.copyOf(amounts, capacity);
                milli = Arrays.copyOf(milli, capacity);
            }
            System.arraycopy(s.skuIds(), 0, ids, size, count);
            System.arraycopy(s.amountCents(), 0, amounts, size, count);
            System.arraycopy(s.pointsMilli(), 0, milli, size, count);
            size += count;
            return count;
        }

        long[] ids() {
            return Arrays.copyOf(ids, size);
        }

        long[] amounts() {
            return Arrays.copyOf(amounts, size);
        }

        long[] milli() {
            return Arrays.copyOf(milli, size);
        }
    }

    /** The points.earned events, one per entry written, in run order. */
    private static List<EventFeed.NewEvent> earnedEvents(List<Written> written, Map<Long, AccountRow> accounts) {
        List<EventFeed.NewEvent> events = new ArrayList<>(written.size());
        for (Written w : written) {
            if (w.entryId() == null) {
                continue;
            }
            Receipt r = w.earning().receipt();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("entryId", w.entryId());
            payload.put("kind", "earn");
            payload.put("points", w.points());
            payload.put("receiptId", r.receiptId());
            payload.put("balance", accounts.get(r.customerId()).balance() + w.points());
            events.add(new EventFeed.NewEvent(Ledger.TOPIC, "points.earned", r.customerId(), r.event().occurredAt(), payload));
        }
        return events;
    }

    /** One query for everyone's 12 months (activity of this run included): who crossed a threshold. */
    private List<TierKeeper.Upgrade> upgrades(List<Written> written, Settings settings, List<Tier> tierList, Instant now,
                                              ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        int top = tierList.getLast().rank();
        Map<Long, Tier> below = new LinkedHashMap<>();
        for (Written w : written) {
            if (w.earning().tier().rank() < top) {
                below.put(w.earning().customerId(), w.earning().tier());
            }
        }
        List<TierKeeper.Upgrade> upgrades = new ArrayList<>();
        if (below.isEmpty()) {
            return upgrades;
        }
        Map<Long, TierKeeper.Qualifying> figures = HashMap.newHashMap(below.size());
        jdbc.query("""
                select customer_id, sum(spend_cents), sum(points) from tier_activity
                where customer_id = any(?) and day > ? and day <= ? group by customer_id""", rs -> {
            figures.put(rs.getLong(1), new TierKeeper.Qualifying(rs.getLong(2), rs.getLong(3)));
        }, below.keySet().toArray(Long[]::new), java.sql.Date.valueOf(today.minusDays(365)), java.sql.Date.valueOf(today));
        below.forEach((customer, current) -> {
            TierKeeper.Qualifying q = figures.getOrDefault(customer, new TierKeeper.Qualifying(0, 0));
            Tier reached = TierKeeper.qualified(tierList, settings, q.value(settings));
            if (reached.rank() > current.rank()) {
                upgrades.add(new TierKeeper.Upgrade(customer, current, reached));
            }
        });
        return upgrades;
    }

    /** The entry's detail, as the one-by-one path's {@code Map.of("rules", …, "tierMultiplier", …)} writes it. */
    private static String detail(Outcome o, Tier tier) {
        StringBuilder json = new StringBuilder("{\"rules\":[");
        boolean first = true;
        for (long rule : o.applied()) {
            json.append(first ? "" : ",").append(rule);
            first = false;
        }
        return json.append("],\"tierMultiplier\":").append(tier.pointsMultiplier().toPlainString()).append('}').toString();
    }
}
