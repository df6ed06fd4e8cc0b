package app.regulars.loyalty.internal;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Sku;
import app.regulars.catalog.Store;
import app.regulars.customers.Customers;
import app.regulars.loyalty.LoyaltyProgram;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RegularsProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The programme's configuration in PostgreSQL, checked as a whole before anything is saved. */
@Service
class Programme implements LoyaltyProgram {

    static final Set<String> KINDS = Set.of("per_amount", "multiplier", "exclusion", "minimum_basket", "special_days",
            "birthday_month", "signup_bonus", "first_purchase_bonus", "referral", "interaction");
    /** Interactions the purchases module records that are worth points. */
    static final Set<String> INTERACTIONS = Set.of("check_in", "visit", "review", "survey_answer", "favourite",
            "share", "message_clicked");
    private static final long MAX_POINTS = 1_000_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Catalog catalog;
    private final Customers customers;
    private final Clock clock;
    private final ZoneId zone;

    Programme(JdbcTemplate jdbc, ObjectMapper json, Catalog catalog, Customers customers, Clock clock,
              RegularsProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.catalog = catalog;
        this.customers = customers;
        this.clock = clock;
        this.zone = properties.timezone();
    }

    ZoneId zone() {
        return zone;
    }

    @Override
    public Settings settings() {
        return jdbc.queryForObject("select * from loyalty_settings where id = 1", (rs, i) -> new Settings(
                instant(rs, "earn_from"), rs.getInt("pending_days"), rs.getString("expiry_policy"), rs.getInt("expiry_n"),
                rs.getInt("reminder_days"), rs.getString("shortfall_policy"), rs.getString("multiplier_mode"),
                rs.getInt("cash_points_per_yuan"), rs.getInt("cash_max_basket_pct"), rs.getLong("cash_max_points"),
                rs.getString("tier_basis"), rs.getString("tier_review"), rs.getString("tier_review_mmdd"),
                rs.getInt("tier_grace_pct")));
    }

    @Override
    @Transactional
    public Settings saveSettings(Settings s) {
        Callers.requireAllStores("changing the loyalty programme");
        List<FieldError> errors = new ArrayList<>();
        range(errors, "pendingDays", s.pendingDays(), 0, 365);
        oneOf(errors, "expiryPolicy", s.expiryPolicy(), Set.of("days", "end_of_month", "end_of_year", "never"));
        range(errors, "expiryN", s.expiryN(), "days".equals(s.expiryPolicy()) ? 1 : 0, 3650);
        range(errors, "reminderDays", s.reminderDays(), 0, 365);
        oneOf(errors, "shortfallPolicy", s.shortfallPolicy(), Set.of("negative", "record"));
        oneOf(errors, "multiplierMode", s.multiplierMode(), Set.of("best", "stack"));
        range(errors, "cashPointsPerYuan", s.cashPointsPerYuan(), 1, 100_000);
        range(errors, "cashMaxBasketPct", s.cashMaxBasketPct(), 0, 100);
        range(errors, "cashMaxPoints", s.cashMaxPoints(), 0, 100_000_000);
        oneOf(errors, "tierBasis", s.tierBasis(), Set.of("spend", "points"));
        oneOf(errors, "tierReview", s.tierReview(), Set.of("anniversary", "fixed"));
        if (s.tierReviewMmdd() == null || !s.tierReviewMmdd().matches("(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")) {
            errors.add(Refusals.CODES.of("tierReviewMmdd", "mmdd", "must be MMDD, e.g. 0101"));
        }
        range(errors, "tierGracePct", s.tierGracePct(), 0, 100);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        jdbc.update("""
                update loyalty_settings set earn_from = ?, pending_days = ?, expiry_policy = ?, expiry_n = ?, reminder_days = ?,
                    shortfall_policy = ?, multiplier_mode = ?, cash_points_per_yuan = ?, cash_max_basket_pct = ?,
                    cash_max_points = ?, tier_basis = ?, tier_review = ?, tier_review_mmdd = ?, tier_grace_pct = ?,
                    updated_at = now() where id = 1""",
                s.earnFrom() == null ? null : Timestamp.from(s.earnFrom()), s.pendingDays(), s.expiryPolicy(), s.expiryN(),
                s.reminderDays(), s.shortfallPolicy(), s.multiplierMode(), s.cashPointsPerYuan(), s.cashMaxBasketPct(),
                s.cashMaxPoints(), s.tierBasis(), s.tierReview(), s.tierReviewMmdd(), s.tierGracePct());
        return settings();
    }

    @Override
    public List<EarningRule> rules() {
        return jdbc.query("select * from earning_rule order by active desc, id", (rs, i) -> rule(rs));
    }

    Optional<EarningRule> rule(long id) {
        return jdbc.query("select * from earning_rule where id = ?", (rs, i) -> rule(rs), id).stream().findFirst();
    }

    @Override
    @Transactional
    public EarningRule saveRule(Long id, RuleDraft draft) {
        Callers.requireAllStores("changing the loyalty programme");
        if (draft == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        List<FieldError> errors = new ArrayList<>();
        RuleTerms terms = check(draft, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        boolean active = draft.active() == null || draft.active();
        if (id == null) {
            id = jdbc.queryForObject("""
                    insert into earning_rule (name, kind, active, starts_on, ends_on, params) values (?, ?, ?, ?, ?, ?::jsonb)
                    returning id""", Long.class, draft.name().strip(), draft.kind(), active, draft.startsOn(),
                    draft.endsOn(), write(terms));
        } else if (jdbc.update("""
                update earning_rule set name = ?, kind = ?, active = ?, starts_on = ?, ends_on = ?, params = ?::jsonb,
                    updated_at = now() where id = ?""", draft.name().strip(), draft.kind(), active, draft.startsOn(),
                draft.endsOn(), write(terms), id) == 0) {
            throw ApiProblem.notFound("rule " + id);
        }
        return rule(id).orElseThrow();
    }

    /** The draft's terms with codes resolved to ids; problems are added to {@code errors}. */
    private RuleTerms check(RuleDraft d, List<FieldError> errors) {
        if (d.name() == null || d.name().isBlank() || d.name().length() > 100) {
            errors.add(Refusals.CODES.of("name", "requiredMax", 100, "required, at most 100 characters"));
        }
        if (d.kind() == null || !KINDS.contains(d.kind())) {
            errors.add(Refusals.CODES.of("kind", "oneOf",
                    "must be one of " + String.join(", ", KINDS.stream().sorted().toList())));
            return RuleTerms.none();
        }
        if (d.startsOn() != null && d.endsOn() != null && d.endsOn().isBefore(d.startsOn())) {
            errors.add(Refusals.CODES.of("endsOn", "endsBeforeStart", "is before startsOn"));
        }
        RuleTerms t = d.terms() == null ? RuleTerms.none() : d.terms();
        switch (d.kind()) {
            case "per_amount" -> decimal(errors, "terms.pointsPerYuan", t.pointsPerYuan(), "1000");
            case "multiplier", "birthday_month" -> decimal(errors, "terms.factor", t.factor(), "100");
            case "exclusion" -> {
                if (t.skuCodes().isEmpty() && t.categories().isEmpty()) {
                    errors.add(Refusals.CODES.of("terms.skuCodes", "exclusionEmpty", "name the SKUs or categories to exclude"));
                }
            }
            case "minimum_basket" -> range(errors, "terms.minBasketCents", t.minBasketCents(), 1, 100_000_000);
            case "special_days" -> {
                decimal(errors, "terms.factor", t.factor(), "100");
                if (t.dates().isEmpty() && t.daysOfMonth().isEmpty() && t.weekdays().isEmpty()) {
                    errors.add(Refusals.CODES.of("terms.dates", "specialDaysEmpty", "name dates, days of the month or weekdays"));
                }
                t.daysOfMonth().stream().filter(x -> x == null || x < 1 || x > 31).findFirst()
                        .ifPresent(x -> errors.add(Refusals.CODES.of("terms.daysOfMonth", "daysOfMonth", "days are 1 to 31")));
                t.weekdays().stream().filter(x -> x == null || x < 1 || x > 7).findFirst()
                        .ifPresent(x -> errors.add(Refusals.CODES.of("terms.weekdays", "weekdays", "weekdays are 1 (Monday) to 7")));
            }
            case "signup_bonus", "first_purchase_bonus" -> range(errors, "terms.points", t.points(), 1, MAX_POINTS);
            case "referral" -> {
                range(errors, "terms.referrerPoints", t.referrerPoints() == null ? 0 : t.referrerPoints(), 0, MAX_POINTS);
                range(errors, "terms.refereePoints", t.refereePoints() == null ? 0 : t.refereePoints(), 0, MAX_POINTS);
                if (EarningRules.nz(t.referrerPoints()) + EarningRules.nz(t.refereePoints()) == 0) {
                    errors.add(Refusals.CODES.of("terms.referrerPoints", "referralEmpty", "one side must get points"));
                }
            }
            case "interaction" -> {
                oneOf(errors, "terms.interactionType", t.interactionType(), INTERACTIONS);
                range(errors, "terms.points", t.points(), 1, MAX_POINTS);
                range(errors, "terms.dailyCap", t.dailyCap() == null ? null : t.dailyCap().longValue(), 1, 100);
            }
            default -> throw new IllegalStateException(d.kind());
        }
        Set<Long> skuIds = new LinkedHashSet<>();
        for (String code : t.skuCodes()) {
            Optional<Sku> sku = code == null ? Optional.empty() : catalog.skuByCode(code.strip());
            if (sku.isEmpty()) {
                errors.add(Refusals.CODES.of("terms.skuCodes", "unknownSku", code, "unknown SKU " + code));
            } else {
                skuIds.add(sku.get().id());
            }
        }
        for (String category : t.categories()) {
            if (category == null || catalog.category(category.strip()).isEmpty()) {
                errors.add(Refusals.CODES.of("terms.categories", "unknownCategory", category,
                        "unknown category " + category));
            }
        }
        Set<Long> storeIds = new LinkedHashSet<>();
        for (String code : t.storeCodes()) {
            Optional<Store> store = code == null ? Optional.empty() : catalog.storeByCode(code.strip());
            if (store.isEmpty()) {
                errors.add(Refusals.CODES.of("terms.storeCodes", "unknownStore", code, "unknown store " + code));
            } else {
                storeIds.add(store.get().id());
            }
        }
        return new RuleTerms(t.pointsPerYuan(), t.factor(), t.categories(), t.skuCodes(), skuIds, t.storeCodes(), storeIds,
                t.minBasketCents(), t.dates(), t.daysOfMonth(), t.weekdays(), t.points(), t.referrerPoints(),
                t.refereePoints(), t.interactionType(), t.dailyCap());
    }

    @Override
    public List<Conflict> conflicts() {
        return EarningRules.conflicts(rules(), settings().multiplierMode());
    }

    @Override
    public List<Tier> tiers() {
        return jdbc.query("select * from loyalty_tier order by rank", (rs, i) -> new Tier(rs.getString("code"),
                rs.getInt("rank"), rs.getString("name_zh"), rs.getString("name_en"), rs.getLong("min_spend_cents"),
                rs.getLong("min_points"), rs.getInt("discount_bp"), rs.getBigDecimal("points_multiplier"),
                rs.getString("birthday_gift"), rs.getBoolean("early_access"), rs.getBoolean("advisor"),
                rs.getBoolean("free_shipping")));
    }

    @Override
    @Transactional
    public Tier saveTier(Tier t) {
        Callers.requireAllStores("changing the loyalty programme");
        List<FieldError> errors = new ArrayList<>();
        if (t.code() == null || !t.code().matches("[a-z0-9_-]{1,32}")) {
            errors.add(Refusals.CODES.of("code", "tierCode", "lower-case letters, digits, - and _, at most 32"));
        }
        range(errors, "rank", (long) t.rank(), 0, 100);
        if (t.nameZh() == null || t.nameZh().isBlank()) {
            errors.add(Refusals.CODES.of("nameZh", "required", "required"));
        }
        if (t.nameEn() == null || t.nameEn().isBlank()) {
            errors.add(Refusals.CODES.of("nameEn", "required", "required"));
        }
        range(errors, "minSpendCents", t.minSpendCents(), 0, 100_000_000_000L);
        range(errors, "minPoints", t.minPoints(), 0, 1_000_000_000L);
        range(errors, "discountBasisPoints", (long) t.discountBasisPoints(), 0, 10_000);
        decimal(errors, "pointsMultiplier", t.pointsMultiplier(), "100");
        if (errors.isEmpty()) {
            List<Tier> others = tiers().stream().filter(o -> !o.code().equals(t.code())).toList();
            if (others.stream().anyMatch(o -> o.rank() == t.rank())) {
                errors.add(Refusals.CODES.of("rank", "rankTaken", t.rank(), "another tier has rank " + t.rank()));
            }
            for (Tier o : others) {
                boolean below = o.rank() < t.rank();
                if (below ? o.minSpendCents() > t.minSpendCents() || o.minPoints() > t.minPoints()
                        : o.minSpendCents() < t.minSpendCents() || o.minPoints() < t.minPoints()) {
                    errors.add(Refusals.CODES.of("minSpendCents", "thresholdsRise", o.code(),
                            "thresholds must rise with the rank (see " + o.code() + ")"));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        jdbc.update("""
                insert into loyalty_tier (code, rank, name_zh, name_en, min_spend_cents, min_points, discount_bp,
                    points_multiplier, birthday_gift, early_access, advisor, free_shipping)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (code) do update set rank = excluded.rank, name_zh = excluded.name_zh, name_en = excluded.name_en,
                    min_spend_cents = excluded.min_spend_cents, min_points = excluded.min_points,
                    discount_bp = excluded.discount_bp, points_multiplier = excluded.points_multiplier,
                    birthday_gift = excluded.birthday_gift, early_access = excluded.early_access,
                    advisor = excluded.advisor, free_shipping = excluded.free_shipping""",
                t.code(), t.rank(), t.nameZh().strip(), t.nameEn().strip(), t.minSpendCents(), t.minPoints(),
                t.discountBasisPoints(), t.pointsMultiplier(), blankToNull(t.birthdayGift()), t.earlyAccess(), t.advisor(),
                t.freeShipping());
        return t;
    }

    @Override
    public List<Gift> gifts() {
        return jdbc.query("select * from gift order by active desc, points_price, code", (rs, i) -> new Gift(
                rs.getString("code"), rs.getString("name"), rs.getLong("points_price"), rs.getInt("stock"),
                rs.getBoolean("active")));
    }

    @Override
    @Transactional
    public Gift saveGift(Gift g) {
        Callers.requireAllStores("changing the loyalty programme");
        List<FieldError> errors = new ArrayList<>();
        if (g.code() == null || g.code().isBlank() || g.code().length() > 64) {
            errors.add(Refusals.CODES.of("code", "requiredMax", 64, "required, at most 64 characters"));
        }
        if (g.name() == null || g.name().isBlank() || g.name().length() > 200) {
            errors.add(Refusals.CODES.of("name", "requiredMax", 200, "required, at most 200 characters"));
        }
        range(errors, "pointsPrice", g.pointsPrice(), 1, 100_000_000);
        range(errors, "stock", (long) g.stock(), 0, 10_000_000);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        jdbc.update("""
                insert into gift (code, name, points_price, stock, active) values (?, ?, ?, ?, ?)
                on conflict (code) do update set name = excluded.name, points_price = excluded.points_price,
                    stock = excluded.stock, active = excluded.active""",
                g.code().strip(), g.name().strip(), g.pointsPrice(), g.stock(), g.active());
        return g;
    }

    @Override
    public List<CouponOffer> couponOffers() {
        return jdbc.query("select * from coupon_exchange_offer order by active desc, points_price", (rs, i) ->
                new CouponOffer(rs.getString("template_code"), rs.getLong("points_price"), rs.getBoolean("active")));
    }

    @Override
    @Transactional
    public CouponOffer saveCouponOffer(CouponOffer o) {
        Callers.requireAllStores("changing the loyalty programme");
        List<FieldError> errors = new ArrayList<>();
        if (o.templateCode() == null || o.templateCode().isBlank() || o.templateCode().length() > 64) {
            errors.add(Refusals.CODES.of("templateCode", "requiredMax", 64, "required, at most 64 characters"));
        }
        range(errors, "pointsPrice", o.pointsPrice(), 1, 100_000_000);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        jdbc.update("""
                insert into coupon_exchange_offer (template_code, points_price, active) values (?, ?, ?)
                on conflict (template_code) do update set points_price = excluded.points_price, active = excluded.active""",
                o.templateCode().strip(), o.pointsPrice(), o.active());
        return o;
    }

    @Override
    public Figures figures() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Settings s = settings();
        long[] totals = jdbc.queryForObject("""
                select coalesce(sum(balance), 0), count(*), coalesce(sum(debt), 0), coalesce(sum(shortfall), 0)
                from points_account""", (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        long[] lots = jdbc.queryForObject("""
                select coalesce(sum(remaining) filter (where available_at > ?), 0),
                       coalesce(sum(remaining) filter (where expires_at > ? and expires_at <= ?), 0)
                from points_lot where remaining > 0""", (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
                Timestamp.from(now), Timestamp.from(now), Timestamp.from(now.plusSeconds(30L * 86_400)));
        List<Tier> tiers = tiers();
        Map<String, long[]> byTier = new java.util.HashMap<>();
        jdbc.query("""
                select a.tier_code, count(*), coalesce(sum(t.spend), 0)
                from points_account a
                left join (select customer_id, sum(spend_cents) as spend from tier_activity where day > ? group by 1) t
                       on t.customer_id = a.customer_id
                group by a.tier_code""", rs -> {
            byTier.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }, today.minusDays(365));
        long withAccount = totals[1];
        long everyone = customers.count();
        List<TierShare> shares = new ArrayList<>();
        for (Tier t : tiers) {
            long[] f = byTier.getOrDefault(t.code(), new long[2]);
            long members = f[0] + (t == tiers.getFirst() ? Math.max(0, everyone - withAccount) : 0);
            shares.add(new TierShare(t.code(), t.nameZh(), t.nameEn(), members, f[1]));
        }
        List<Month> months = jdbc.query("""
                select to_char(date_trunc('month', occurred_at at time zone ?), 'YYYY-MM') as m,
                       coalesce(sum(points) filter (where points > 0 and kind <> 'restore'), 0),
                       coalesce(-sum(points) filter (where kind in ('spend', 'redeem_cash', 'redeem_gift', 'redeem_coupon')), 0),
                       coalesce(-sum(points) filter (where kind = 'expire'), 0),
                       coalesce(-sum(points) filter (where kind = 'reverse'), 0)
                from points_entry where occurred_at >= ?
                group by 1 order by 1""", (rs, i) -> new Month(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5)), zone.getId(), Timestamp.from(today.withDayOfMonth(1).minusMonths(11).atStartOfDay(zone).toInstant()));
        long liability = totals[0];
        return new Figures(liability, lots[0], lots[1], Math.max(0, liability) * 100 / s.cashPointsPerYuan(), everyone,
                shares, months, totals[2], totals[3]);
    }

    private EarningRule rule(ResultSet rs) throws SQLException {
        RuleTerms terms;
        try {
            terms = json.readValue(rs.getString("params"), RuleTerms.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable terms of rule " + rs.getLong("id"), e);
        }
        return new EarningRule(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getBoolean("active"),
                rs.getObject("starts_on", LocalDate.class), rs.getObject("ends_on", LocalDate.class), terms);
    }

    private String write(RuleTerms terms) {
        try {
            return json.writeValueAsString(terms);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static void range(List<FieldError> errors, String field, Long value, long min, long max) {
        if (value == null) {
            errors.add(Refusals.CODES.of(field, "required", "required"));
        } else if (value < min || value > max) {
            errors.add(Refusals.CODES.of(field, "range", min + "–" + max, "must be between " + min + " and " + max));
        }
    }

    private static void range(List<FieldError> errors, String field, int value, int min, int max) {
        range(errors, field, (long) value, min, max);
    }

    private static void decimal(List<FieldError> errors, String field, BigDecimal value, String max) {
        if (value == null) {
            errors.add(Refusals.CODES.of(field, "required", "required"));
        } else if (value.signum() <= 0 || value.compareTo(new BigDecimal(max)) > 0) {
            errors.add(Refusals.CODES.of(field, "aboveZero", max, "must be above 0 and at most " + max));
        }
    }

    private static void oneOf(List<FieldError> errors, String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            errors.add(Refusals.CODES.of(field, "oneOf", "must be one of " + String.join(", ", allowed.stream().sorted().toList())));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static ApiProblem unknownCustomer(long id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "customerId: unknown customer " + id,
                List.of(Refusals.CODES.of("customerId", "unknownCustomer", "unknown customer")));
    }
}
