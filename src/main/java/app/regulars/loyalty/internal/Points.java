package app.regulars.loyalty.internal;

import app.regulars.access.Audit;
import app.regulars.access.Callers;
import app.regulars.customers.Customers;
import app.regulars.loyalty.CouponExchange;
import app.regulars.loyalty.LoyaltyMembers;
import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.loyalty.ManualChanges;
import app.regulars.loyalty.MemberStatus;
import app.regulars.loyalty.PointsAccounts;
import app.regulars.loyalty.PointsLedger;
import app.regulars.loyalty.internal.Ledger.Source;
import app.regulars.loyalty.internal.Ledger.NewLot;
import app.regulars.loyalty.internal.Ledger.Posted;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The points of one customer as other modules, the till and the console use them. Every write runs
 * in one transaction (joining the caller's, so a coupons draw commits with its points) and is
 * idempotent on its key.
 */
@Service
class Points implements PointsAccounts, PointsLedger, LoyaltyMembers {

    static final long MAX_POINTS = 10_000_000;

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final Programme programme;
    private final TierKeeper tiers;
    private final Customers customers;
    private final Audit audit;
    private final ObjectProvider<CouponExchange> coupons;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    Points(JdbcTemplate jdbc, Ledger ledger, Programme programme, TierKeeper tiers, Customers customers, Audit audit,
           ObjectProvider<CouponExchange> coupons, TransactionTemplate tx, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.programme = programme;
        this.tiers = tiers;
        this.customers = customers;
        this.audit = audit;
        this.coupons = coupons;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    // ---- PointsAccounts: for other modules (coupons' draws) ------------------------------------

    @Override
    public void award(long customerId, long points, String reason, String idempotencyKey) {
        checkPoints(points, false);
        checkKey(idempotencyKey);
        requireCustomer(customerId);
        Instant now = clock.instant();
        Settings s = programme.settings();
        tx.executeWithoutResult(status -> ledger.credit(customerId, "bonus", reason, "ext:" + idempotencyKey, null, now,
                List.of(new NewLot(points, now, Expiry.of(s, now, programme.zone()))), Map.of("source", "award"),
                Callers.current().name()));
    }

    @Override
    public boolean spend(long customerId, long points, String reason, String idempotencyKey) {
        checkPoints(points, false);
        checkKey(idempotencyKey);
        requireCustomer(customerId);
        Instant now = clock.instant();
        return Boolean.TRUE.equals(tx.execute(status -> ledger.debit(customerId, "spend", points, reason,
                "ext:" + idempotencyKey, null, now, Source.SPENDABLE, Map.of(), Callers.current().name()).isPresent()));
    }

    @Override
    public long spendable(long customerId) {
        Instant now = clock.instant();
        Long lots = jdbc.queryForObject("""
                select coalesce(sum(remaining), 0) from points_lot where customer_id = ? and remaining > 0
                  and available_at <= ? and (expires_at is null or expires_at > ?)""", Long.class, customerId,
                Timestamp.from(now), Timestamp.from(now));
        Long debt = jdbc.query("select debt from points_account where customer_id = ?", (rs, i) -> rs.getLong(1), customerId)
                .stream().findFirst().orElse(0L);
        return Math.max(0, lots - debt);
    }

    // ---- LoyaltyMembers: the till --------------------------------------------------------------

    @Override
    public Optional<MemberStatus> status(long customerId) {
        if (customers.summary(customerId).isEmpty()) {
            return Optional.empty();
        }
        Account a = account(customerId);
        Tier tier = TierKeeper.byCode(programme.tiers(), a.tierCode());
        return Optional.of(new MemberStatus(customerId, tier.code(), tier.nameZh(), tier.discountBasisPoints(), a.spendable(),
                a.pending(), a.balance(), programme.settings().cashPointsPerYuan()));
    }

    // ---- PointsLedger: console and API ---------------------------------------------------------

    @Override
    public Account account(long customerId) {
        Instant now = clock.instant();
        Settings s = programme.settings();
        List<Tier> tierList = programme.tiers();
        Map<String, Object> row = jdbc.queryForList("select * from points_account where customer_id = ?", customerId)
                .stream().findFirst().orElse(Map.of());
        long[] lots = jdbc.queryForObject("""
                select coalesce(sum(remaining) filter (where available_at > ?), 0),
                       coalesce(sum(remaining) filter (where expires_at > ? and expires_at <= ?), 0)
                from points_lot where customer_id = ? and remaining > 0""", (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
                Timestamp.from(now), Timestamp.from(now), Timestamp.from(now.plusSeconds(86_400L * Math.max(30, s.reminderDays()))),
                customerId);
        Tier tier = TierKeeper.byCode(tierList, (String) row.getOrDefault("tier_code", tierList.getFirst().code()));
        TierKeeper.Qualifying q = tiers.qualifying(customerId, LocalDate.ofInstant(now, programme.zone()));
        Tier next = tierList.stream().filter(t -> t.rank() > tier.rank()).findFirst().orElse(null);
        long toNext = next == null ? 0 : Math.max(0, ("points".equals(s.tierBasis()) ? next.minPoints() : next.minSpendCents())
                - q.value(s));
        Object review = row.get("tier_review_on");
        return new Account(customerId, number(row.get("balance")), spendable(customerId), lots[0], number(row.get("debt")),
                number(row.get("shortfall")), lots[1], tier.code(), tier.nameZh(), instant(row.get("tier_since")),
                review == null ? null : review.toString(), instant(row.get("manual_tier_until")), q.spendCents(), q.points(),
                next == null ? null : next.nameZh(), toNext);
    }

    @Override
    public List<Entry> entries(long customerId, int limit) {
        List<Entry> entries = jdbc.query("""
                select id, kind, points, reason, receipt_id, actor, occurred_at, detail::text from points_entry
                where customer_id = ? order by id desc limit ?""", (rs, i) -> new Entry(rs.getLong(1), rs.getString(2),
                rs.getLong(3), rs.getString(4), rs.getObject(5, Long.class), rs.getString(6), rs.getTimestamp(7).toInstant(),
                read(rs.getString(8)), new ArrayList<>()), customerId, Math.clamp(limit, 1, 1000));
        if (entries.isEmpty()) {
            return entries;
        }
        Map<Long, Entry> byId = new HashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        jdbc.query("select entry_id, lot_id, points from points_allocation where entry_id = any(?) order by id",
                rs -> {
                    byId.get(rs.getLong(1)).draws().add(new Draw(rs.getLong(2), rs.getLong(3)));
                }, (Object) entries.stream().map(Entry::id).toArray(Long[]::new));
        return entries;
    }

    @Override
    public Entry adjust(long customerId, long points, String reason, String idempotencyKey) {
        ManualChanges.require("manual points adjustments");
        List<FieldError> errors = new ArrayList<>();
        if (points == 0 || Math.abs(points) > MAX_POINTS) {
            errors.add(Refusals.CODES.of("points", "adjustPoints", MAX_POINTS,
                    "must be non-zero and at most " + MAX_POINTS + " either way"));
        }
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            errors.add(Refusals.CODES.of("reason", "requiredMax", 200, "required, at most 200 characters"));
        }
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            errors.add(new FieldError("idempotencyKey", "required, at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        requireCustomer(customerId);
        Instant now = clock.instant();
        Settings s = programme.settings();
        String actor = Callers.current().name();
        Long id = tx.execute(status -> {
            Posted posted;
            if (points > 0) {
                posted = ledger.credit(customerId, "adjust", reason.strip(), "adjust:" + idempotencyKey, null, now,
                        List.of(new NewLot(points, now, Expiry.of(s, now, programme.zone()))), Map.of(), actor);
            } else {
                posted = ledger.debit(customerId, "adjust", -points, reason.strip(), "adjust:" + idempotencyKey, null, now,
                        Source.ANY, Map.of(), actor).orElseThrow(() -> short_("points"));
            }
            if (!posted.replayed()) {
                audit.record("loyalty.points.adjusted", "customer", String.valueOf(customerId),
                        Map.of("points", points, "entryId", posted.entryId()));
            }
            return posted.entryId();
        });
        return entry(id);
    }

    @Override
    public GiftRedeemed redeemGift(long customerId, String giftCode, String idempotencyKey) {
        if (giftCode == null || giftCode.isBlank()) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("giftCode", "required", "required"));
        }
        checkKey(idempotencyKey);
        requireCustomer(customerId);
        Instant now = clock.instant();
        return tx.execute(status -> {
            ledger.lock(customerId, now);
            Optional<long[]> before = ledger.existing("gift:" + idempotencyKey);
            if (before.isPresent()) {
                return jdbc.queryForObject("""
                        select g.code, r.points, g.stock from gift_redemption r join gift g on g.id = r.gift_id where r.entry_id = ?""",
                        (rs, i) -> new GiftRedeemed(before.get()[0], rs.getString(1), rs.getLong(2), rs.getInt(3),
                                number(jdbc.queryForObject("select balance from points_account where customer_id = ?",
                                        Long.class, customerId)), true), before.get()[0]);
            }
            List<long[]> gift = jdbc.query("select id, points_price, stock from gift where code = ? and active for update",
                    (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, giftCode.strip());
            if (gift.isEmpty()) {
                throw new ApiProblem(HttpStatus.NOT_FOUND, "giftCode: unknown or inactive gift",
                        List.of(Refusals.CODES.of("giftCode", "unknownGift", "unknown or inactive gift")));
            }
            long[] g = gift.getFirst();
            if (g[2] <= 0) {
                throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("giftCode", "outOfStock", "out of stock"));
            }
            Posted posted = ledger.debit(customerId, "redeem_gift", g[1], "gift " + giftCode.strip(), "gift:" + idempotencyKey,
                    null, now, Source.SPENDABLE, Map.of("giftId", g[0]), Callers.current().name()).orElseThrow(() -> short_("giftCode"));
            jdbc.update("update gift set stock = stock - 1 where id = ?", g[0]);
            jdbc.update("insert into gift_redemption (gift_id, customer_id, entry_id, points, redeemed_at) values (?, ?, ?, ?, ?)",
                    g[0], customerId, posted.entryId(), g[1], Timestamp.from(now));
            return new GiftRedeemed(posted.entryId(), giftCode.strip(), g[1], (int) g[2] - 1, posted.balance(), false);
        });
    }

    @Override
    public CouponExchanged exchangeForCoupon(long customerId, String templateCode, String idempotencyKey) {
        if (templateCode == null || templateCode.isBlank()) {
            throw ApiProblem.badRequest("templateCode", "required");
        }
        checkKey(idempotencyKey);
        requireCustomer(customerId);
        CouponExchange exchange = coupons.getIfAvailable();
        if (exchange == null) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "coupons are not available in this installation",
                    List.of(new FieldError("templateCode", "coupons are not available")));
        }
        Instant now = clock.instant();
        return tx.execute(status -> {
            ledger.lock(customerId, now);
            Optional<long[]> before = ledger.existing("coupon:" + idempotencyKey);
            if (before.isPresent()) {
                return jdbc.queryForObject("select template_code, points, coupon_ref from coupon_exchange where entry_id = ?",
                        (rs, i) -> new CouponExchanged(before.get()[0], rs.getString(1), rs.getLong(2), rs.getString(3), true),
                        before.get()[0]);
            }
            Long price = jdbc.query("select points_price from coupon_exchange_offer where template_code = ? and active",
                    (rs, i) -> rs.getLong(1), templateCode.strip()).stream().findFirst()
                    .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "templateCode: no points offer for this template",
                            List.of(new FieldError("templateCode", "no points offer for this template"))));
            Posted posted = ledger.debit(customerId, "redeem_coupon", price, "coupon " + templateCode.strip(),
                    "coupon:" + idempotencyKey, null, now, Source.SPENDABLE, Map.of("templateCode", templateCode.strip()),
                    Callers.current().name()).orElseThrow(() -> short_("templateCode"));
            String ref = exchange.issue(customerId, templateCode.strip(), "loyalty:" + idempotencyKey);
            jdbc.update("""
                    insert into coupon_exchange (customer_id, template_code, points, entry_id, coupon_ref, exchanged_at)
                    values (?, ?, ?, ?, ?, ?)""", customerId, templateCode.strip(), price, posted.entryId(), ref, Timestamp.from(now));
            return new CouponExchanged(posted.entryId(), templateCode.strip(), price, ref, false);
        });
    }

    @Override
    public CashRedeemed redeemCash(CashRedemption r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.source() == null || r.source().isBlank() || r.source().length() > 100) {
            errors.add(new FieldError("source", "required, at most 100 characters"));
        }
        if (r.transactionId() == null || r.transactionId().isBlank() || r.transactionId().length() > 100) {
            errors.add(new FieldError("transactionId", "required, at most 100 characters"));
        }
        if (r.basketCents() <= 0 || r.basketCents() > 10_000_000_00L) {
            errors.add(new FieldError("basketCents", "must be above 0 and at most 1000000000"));
        }
        if (r.points() != null && (r.points() <= 0 || r.points() > MAX_POINTS)) {
            errors.add(new FieldError("points", "must be between 1 and " + MAX_POINTS));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        requireCustomer(r.customerId());
        Settings s = programme.settings();
        Instant now = clock.instant();
        String source = r.source().strip();
        String txn = r.transactionId().strip();
        try {
            return tx.execute(status -> {
                ledger.lock(r.customerId(), now);
                Optional<CashRedeemed> before = cashRedemption(source, txn);
                if (before.isPresent()) {
                    if (before.get().customerId() != r.customerId()) {
                        throw ApiProblem.conflict("transactionId", "already used for another customer");
                    }
                    return before.get();
                }
                // The cap: a share of the basket, and an absolute number of points per basket.
                long capCents = r.basketCents() * s.cashMaxBasketPct() / 100;
                long cap = Math.min(s.cashMaxPoints(), capCents * s.cashPointsPerYuan() / 100);
                long wanted = r.points() == null ? Math.min(cap, spendable(r.customerId())) : r.points();
                if (wanted > cap) {
                    throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "points: above the cap of " + cap + " for this basket",
                            List.of(new FieldError("points", "above the cap of " + cap + " for this basket")));
                }
                long cents = wanted * 100 / s.cashPointsPerYuan();
                long points = (cents * s.cashPointsPerYuan() + 99) / 100; // whole cents only: no point is lost in rounding
                if (cents <= 0) {
                    throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "points: too few for one cent",
                            List.of(new FieldError("points", "too few points for one cent (spendable or requested)")));
                }
                Posted posted = ledger.debit(r.customerId(), "redeem_cash", points, "cash at the till",
                        "cash:" + source + ":" + txn, null, now, Source.SPENDABLE,
                        Map.of("source", source, "transactionId", txn, "cents", cents), Callers.current().name())
                        .orElseThrow(() -> short_("points"));
                Long receipt = jdbc.query("select receipt_id from receipt_earning where source = ? and receipt_no = ?",
                        (rs, i) -> rs.getLong(1), source, txn).stream().findFirst().orElse(null);
                jdbc.update("""
                        insert into cash_redemption (source, transaction_id, customer_id, points, cents, basket_cents, entry_id,
                                                     receipt_id, redeemed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        source, txn, r.customerId(), points, cents, r.basketCents(), posted.entryId(), receipt, Timestamp.from(now));
                return new CashRedeemed(r.customerId(), source, txn, points, cents, posted.balance(), false);
            });
        } catch (DuplicateKeyException raced) {
            // The same transaction redeemed for another customer at the same moment.
            throw ApiProblem.conflict("transactionId", "already used");
        }
    }

    private Optional<CashRedeemed> cashRedemption(String source, String txn) {
        return jdbc.query("""
                select c.customer_id, c.points, c.cents, a.balance from cash_redemption c
                join points_account a on a.customer_id = c.customer_id where c.source = ? and c.transaction_id = ?""",
                (rs, i) -> new CashRedeemed(rs.getLong(1), source, txn, rs.getLong(2), rs.getLong(3), rs.getLong(4), true),
                source, txn).stream().findFirst();
    }

    @Override
    public void setManualTier(long customerId, String tierCode, Instant until, String reason) {
        ManualChanges.require("manual tier changes");
        List<Tier> tierList = programme.tiers();
        Tier tier = tierList.stream().filter(t -> t.code().equals(tierCode)).findFirst()
                .orElseThrow(() -> ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("tierCode", "unknownTier", "unknown tier")));
        Instant now = clock.instant();
        if (until == null || !until.isAfter(now)) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("until", "untilPast", "must be in the future"));
        }
        if (reason == null || reason.isBlank()) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("reason", "required", "required"));
        }
        requireCustomer(customerId);
        Settings s = programme.settings();
        tx.executeWithoutResult(status -> {
            ledger.lock(customerId, now);
            tiers.setManual(customerId, tier, until, now, programme.zone(), s, tierList, reason.strip());
            audit.record("loyalty.tier.manual", "customer", String.valueOf(customerId),
                    Map.of("tier", tierCode, "until", until.toString()));
        });
    }

    @Override
    public Verification verify(Long customerId) {
        String only = customerId == null ? "" : " where customer_id = " + customerId.longValue();
        String andOnly = customerId == null ? "" : " and customer_id = " + customerId.longValue();
        List<String> problems = new ArrayList<>();
        jdbc.query("""
                with e as (select customer_id, sum(points) as s from points_entry %s group by 1),
                     l as (select customer_id, sum(remaining) as r from points_lot %s group by 1)
                select a.customer_id, a.balance, coalesce(e.s, 0), coalesce(l.r, 0), a.debt
                from points_account a left join e using (customer_id) left join l using (customer_id)
                where (a.balance <> coalesce(e.s, 0) or coalesce(l.r, 0) - a.debt <> a.balance) %s
                limit 100""".formatted(only, only, andOnly.replace("customer_id", "a.customer_id")), rs -> {
            problems.add("customer " + rs.getLong(1) + ": balance " + rs.getLong(2) + ", entries sum " + rs.getLong(3)
                    + ", lots hold " + rs.getLong(4) + ", debt " + rs.getLong(5));
        });
        jdbc.query("""
                select l.id, l.points, l.remaining, coalesce(sum(a.points), 0) from points_lot l
                left join points_allocation a on a.lot_id = l.id where true %s
                group by l.id having l.remaining <> l.points - coalesce(sum(a.points), 0) or coalesce(sum(a.points), 0) > l.points
                limit 100""".formatted(andOnly.replace("customer_id", "l.customer_id")), rs -> {
            problems.add("lot " + rs.getLong(1) + ": " + rs.getLong(2) + " points, " + rs.getLong(3) + " remaining, "
                    + rs.getLong(4) + " drawn");
        });
        jdbc.query("""
                select e.id, e.points, coalesce(sum(a.points), 0) from points_entry e
                left join points_allocation a on a.entry_id = e.id where true %s
                group by e.id having (e.points >= 0 and coalesce(sum(a.points), 0) > 0)
                    or (e.points < 0 and coalesce(sum(a.points), 0) > -e.points)
                    or (e.points < 0 and e.kind <> 'reverse' and coalesce(sum(a.points), 0) <> -e.points)
                limit 100""".formatted(andOnly.replace("customer_id", "e.customer_id")), rs -> {
            problems.add("entry " + rs.getLong(1) + ": " + rs.getLong(2) + " points but draws " + rs.getLong(3));
        });
        jdbc.query("""
                with u as (select e.customer_id, sum(-e.points - coalesce((select sum(a.points) from points_allocation a
                                                                           where a.entry_id = e.id), 0)) as open
                           from points_entry e where e.kind = 'reverse' %s group by 1)
                select a.customer_id, a.debt, coalesce(u.open, 0) from points_account a left join u using (customer_id)
                where a.debt <> coalesce(u.open, 0) %s limit 100""".formatted(andOnly.replace("customer_id", "e.customer_id"),
                andOnly.replace("customer_id", "a.customer_id")), rs -> {
            problems.add("customer " + rs.getLong(1) + ": debt " + rs.getLong(2) + " but reversals leave " + rs.getLong(3) + " open");
        });
        long[] counts = jdbc.queryForObject("select (select count(*) from points_account" + only + "), (select count(*) from points_entry"
                + only + "), (select count(*) from points_lot" + only + ")", (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2),
                rs.getLong(3)});
        return new Verification(counts[0], counts[1], counts[2], problems);
    }

    private Entry entry(long id) {
        long customer = jdbc.queryForObject("select customer_id from points_entry where id = ?", Long.class, id);
        return entries(customer, 1000).stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    }

    void requireCustomer(long customerId) {
        if (customers.summary(customerId).isEmpty()) {
            throw Programme.unknownCustomer(customerId);
        }
    }

    private static void checkPoints(long points, boolean signed) {
        if ((signed ? points == 0 : points <= 0) || Math.abs(points) > MAX_POINTS) {
            throw ApiProblem.badRequest("points", "must be between 1 and " + MAX_POINTS);
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw ApiProblem.badRequest("idempotencyKey", "required, at most 200 characters");
        }
    }

    private static ApiProblem short_(String field) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, field + ": not enough spendable points",
                List.of(Refusals.CODES.of(field, "notEnoughPoints", "not enough spendable points")));
    }

    private Map<String, Object> read(String detail) {
        try {
            return json.readValue(detail, new TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of();
        }
    }

    private static long number(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Instant instant(Object o) {
        return o instanceof Timestamp t ? t.toInstant() : null;
    }
}
