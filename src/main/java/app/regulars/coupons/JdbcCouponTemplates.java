package app.regulars.coupons;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Templates in {@code coupon_template}; stats from coupons and redemptions. */
@Service
class JdbcCouponTemplates implements CouponTemplates {

    static final String COLUMNS = """
            t.id, t.name, t.kind, t.amount_cents, t.percent_off, t.cap_cents, t.tiers::text as tiers, t.gift_sku,
            t.gift_value_cents, t.min_spend_cents, t.scope_categories, t.scope_skus, t.scope_store_ids, t.valid_from,
            t.valid_until, t.valid_days, t.stacking, t.stacks_with, t.per_customer_limit, t.total_quantity,
            t.budget_cents, t.face_cents, t.issued_count, t.issued_face_cents, t.active""" + " ";

    private static final int MAX_TIERS = 10;
    private static final int MAX_SCOPE = 500;

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Catalog catalog;

    JdbcCouponTemplates(JdbcClient jdbc, ObjectMapper json, Catalog catalog) {
        this.jdbc = jdbc;
        this.json = json;
        this.catalog = catalog;
    }

    @Override
    @Transactional
    public CouponTemplate create(TemplateDraft draft) {
        Callers.requireAllStores("changing coupon templates");
        Terms t = check(draft, null);
        long id = jdbc.sql("""
                        insert into coupon_template (name, kind, amount_cents, percent_off, cap_cents, tiers, gift_sku,
                            gift_value_cents, min_spend_cents, scope_categories, scope_skus, scope_store_ids, valid_from,
                            valid_until, valid_days, stacking, stacks_with, per_customer_limit, total_quantity,
                            budget_cents, face_cents, active)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        returning id""")
                .params(t.values()).query(Long.class).single();
        return find(id).orElseThrow();
    }

    @Override
    @Transactional
    public CouponTemplate update(long id, TemplateDraft draft) {
        Callers.requireAllStores("changing coupon templates");
        CouponTemplate current = jdbc.sql("select " + COLUMNS + " from coupon_template t where id = ? for update")
                .param(id).query((rs, i) -> read(rs, json)).optional()
                .orElseThrow(() -> ApiProblem.notFound("coupon template " + id));
        Terms t = check(draft, current);
        List<Object> values = new ArrayList<>(t.values());
        values.add(id);
        jdbc.sql("""
                        update coupon_template set name = ?, kind = ?, amount_cents = ?, percent_off = ?, cap_cents = ?,
                            tiers = ?::jsonb, gift_sku = ?, gift_value_cents = ?, min_spend_cents = ?, scope_categories = ?,
                            scope_skus = ?, scope_store_ids = ?, valid_from = ?, valid_until = ?, valid_days = ?,
                            stacking = ?, stacks_with = ?, per_customer_limit = ?, total_quantity = ?, budget_cents = ?,
                            face_cents = ?, active = ?, updated_at = now()
                        where id = ?""")
                .params(values).update();
        return find(id).orElseThrow();
    }

    @Override
    public Optional<CouponTemplate> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from coupon_template t where id = ?").param(id)
                .query((rs, i) -> read(rs, json)).optional();
    }

    @Override
    public List<CouponTemplate> all() {
        return jdbc.sql("select " + COLUMNS + " from coupon_template t order by id desc")
                .query((rs, i) -> read(rs, json)).list();
    }

    private static final String STATS = """
            select t.id, t.name, t.issued_count, t.issued_face_cents,
                   (select count(*) from coupon c where c.template_id = t.id and c.status = 'redeemed') as redeemed,
                   coalesce((select sum(coalesce(r.receipt_total_cents, 0) - r.refunded_cents)
                             from coupon_redemption r
                             where r.reversed_at is null
                               and exists (select 1 from coupon_redemption_line l
                                           where l.redemption_id = r.id and l.template_id = t.id)), 0) as revenue,
                   coalesce((select sum(l.discount_cents + l.gift_cents)
                             from coupon_redemption_line l join coupon_redemption r on r.id = l.redemption_id
                             where l.template_id = t.id and r.reversed_at is null), 0) as cost
            from coupon_template t""";

    @Override
    public List<TemplateStats> stats() {
        return jdbc.sql(STATS + " order by t.id desc").query((rs, i) -> stats(rs)).list();
    }

    @Override
    public TemplateStats stats(long templateId) {
        return jdbc.sql(STATS + " where t.id = ?").param(templateId).query((rs, i) -> stats(rs)).optional()
                .orElseThrow(() -> ApiProblem.notFound("coupon template " + templateId));
    }

    @Override
    @Transactional
    public void issueOnFirstPurchase(long templateId, boolean on) {
        Callers.requireAllStores("changing coupon templates");
        find(templateId).orElseThrow(() -> ApiProblem.notFound("coupon template " + templateId));
        if (on) {
            jdbc.sql("""
                    insert into coupon_rule (trigger, template_id)
                    select 'first_purchase', ? where not exists
                        (select 1 from coupon_rule where trigger = 'first_purchase' and template_id = ? and active)""")
                    .params(templateId, templateId).update();
        } else {
            jdbc.sql("update coupon_rule set active = false where trigger = 'first_purchase' and template_id = ?")
                    .param(templateId).update();
        }
    }

    @Override
    public List<Long> firstPurchaseTemplates() {
        return jdbc.sql("select template_id from coupon_rule where trigger = 'first_purchase' and active order by id")
                .query(Long.class).list();
    }

    private static TemplateStats stats(ResultSet rs) throws SQLException {
        return new TemplateStats(rs.getLong("id"), rs.getString("name"), rs.getLong("issued_count"),
                rs.getLong("redeemed"), rs.getLong("revenue"), rs.getLong("cost"), rs.getLong("issued_face_cents"));
    }

    /** A checked draft as the columns take it. */
    private record Terms(String name, CouponKind kind, Long amount, Integer percent, Long cap, String tiers,
                         String giftSku, Long giftValue, long minSpend, String[] categories, String[] skus,
                         Long[] stores, Instant validFrom, Instant validUntil, Integer validDays, Stacking stacking,
                         Long[] stacksWith, Integer perCustomer, Integer quantity, Long budget, long face,
                         boolean active) {

        List<Object> values() {
            return new ArrayList<>(Arrays.asList(name, kind.code(), amount, percent, cap, tiers, giftSku, giftValue,
                    minSpend, categories, skus, stores, ts(validFrom), ts(validUntil), validDays, stacking.code(),
                    stacksWith, perCustomer, quantity, budget, face, active));
        }
    }

    private Terms check(TemplateDraft d, CouponTemplate current) {
        if (d == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        Problems p = new Problems();
        String name = d.name() == null ? null : d.name().strip();
        if (name == null || name.isEmpty()) {
            p.add("name", "required", "required");
        } else if (name.length() > 100) {
            p.add(Refusals.CODES.of("name", "tooLong", 100, "at most 100 characters"));
        }
        CouponKind kind = null;
        if (d.kind() == null || d.kind().isBlank()) {
            p.add("kind", "required", "required");
        } else {
            try {
                kind = CouponKind.ofCode(d.kind().strip());
            } catch (IllegalArgumentException e) {
                p.add("kind", "kind", "must be fixed, percent, threshold or gift");
            }
        }
        List<Tier> tiers = d.tiers() == null ? List.of() : d.tiers();
        if (kind == CouponKind.FIXED) {
            p.cents("amountCents", d.amountCents(), true, 1);
        } else if (d.amountCents() != null) {
            p.add("amountCents", "onlyFixed", "only for fixed coupons");
        }
        if (kind == CouponKind.PERCENT) {
            p.range("percentOff", d.percentOff(), true, 1, 99);
            p.cents("capCents", d.capCents(), d.budgetCents() != null, 1);
        } else {
            if (d.percentOff() != null) {
                p.add("percentOff", "onlyPercent", "only for percent coupons");
            }
            if (d.capCents() != null) {
                p.add("capCents", "onlyPercent", "only for percent coupons");
            }
        }
        if (kind == CouponKind.THRESHOLD) {
            checkTiers(tiers, p);
            if (d.minSpendCents() != null && d.minSpendCents() != 0) {
                p.add("minSpendCents", "thresholdMinSpend", "threshold coupons take their minimum from their tiers");
            }
        } else if (!tiers.isEmpty()) {
            p.add("tiers", "onlyThreshold", "only for threshold coupons");
        }
        String giftSku = d.giftSku() == null || d.giftSku().isBlank() ? null : d.giftSku().strip();
        if (kind == CouponKind.GIFT) {
            if (giftSku == null) {
                p.add("giftSku", "required", "required");
            } else if (giftSku.length() > 64) {
                p.add(Refusals.CODES.of("giftSku", "tooLong", 64, "at most 64 characters"));
            }
            p.cents("giftValueCents", d.giftValueCents(), true, 0);
        } else {
            if (giftSku != null) {
                p.add("giftSku", "onlyGift", "only for gift coupons");
            }
            if (d.giftValueCents() != null) {
                p.add("giftValueCents", "onlyGift", "only for gift coupons");
            }
        }
        p.cents("minSpendCents", d.minSpendCents(), false, 0);
        Set<String> categories = codes("categories", d.categories(), p);
        Set<String> skus = codes("skus", d.skus(), p);
        Set<Long> stores = d.storeIds() == null ? Set.of() : new TreeSet<>(d.storeIds());
        if (stores.size() > MAX_SCOPE) {
            p.add(Refusals.CODES.of("storeIds", "tooMany", MAX_SCOPE, "at most " + MAX_SCOPE));
        }
        for (Long store : stores) {
            if (store == null || catalog.store(store).isEmpty()) {
                p.add(Refusals.CODES.of("storeIds", "noSuchStore", store, "no store " + store));
            }
        }
        if (d.validDays() != null && d.validUntil() != null) {
            p.add("validDays", "validityBoth", "give either validDays or validUntil, not both");
        } else if (d.validDays() == null && d.validUntil() == null) {
            p.add("validUntil", "validityNone", "give validUntil or validDays");
        }
        p.range("validDays", d.validDays(), false, 1, 3660);
        if (d.validDays() != null && d.validFrom() != null) {
            p.add("validFrom", "validFromWithDays", "only with validUntil; validDays count from the issue");
        }
        if (d.validFrom() != null && d.validUntil() != null && !d.validUntil().isAfter(d.validFrom())) {
            p.add("validUntil", "untilBeforeFrom", "must be after validFrom");
        }
        Stacking stacking = Stacking.EXCLUSIVE;
        if (d.stacking() != null && !d.stacking().isBlank()) {
            try {
                stacking = Stacking.ofCode(d.stacking().strip());
            } catch (IllegalArgumentException e) {
                p.add("stacking", "stacking", "must be exclusive, any or listed");
            }
        }
        Set<Long> stacksWith = d.stacksWith() == null ? Set.of() : new TreeSet<>(d.stacksWith());
        if (stacking == Stacking.LISTED && stacksWith.isEmpty()) {
            p.add("stacksWith", "stacksWithNone", "list the templates it combines with");
        } else if (stacking != Stacking.LISTED && !stacksWith.isEmpty()) {
            p.add("stacksWith", "stacksWithUnlisted", "only with stacking listed");
        }
        for (Long other : stacksWith) {
            if (other == null || find(other).isEmpty()) {
                p.add(Refusals.CODES.of("stacksWith", "noSuchTemplate", other, "no template " + other));
            }
        }
        p.range("perCustomerLimit", d.perCustomerLimit(), false, 1, 10_000);
        p.range("totalQuantity", d.totalQuantity(), false, 1, 100_000_000);
        p.cents("budgetCents", d.budgetCents(), false, 1);
        if (current != null) {
            if (d.totalQuantity() != null && d.totalQuantity() < current.issuedCount()) {
                p.add(Refusals.CODES.of("totalQuantity", "belowIssued", current.issuedCount(),
                        "below the " + current.issuedCount() + " already issued"));
            }
            if (d.budgetCents() != null && d.budgetCents() < current.issuedFaceCents()) {
                p.add(Refusals.CODES.of("budgetCents", "belowIssuedFace", BigDecimal.valueOf(current.issuedFaceCents(), 2).toPlainString(),
                        "below the " + current.issuedFaceCents() + " cents already issued"));
            }
        }
        p.throwIfAny();
        long face = switch (kind) {
            case FIXED -> d.amountCents();
            case PERCENT -> d.capCents() == null ? 0 : d.capCents();
            case THRESHOLD -> tiers.stream().mapToLong(Tier::offCents).max().orElse(0);
            case GIFT -> d.giftValueCents();
        };
        return new Terms(name, kind, d.amountCents(), d.percentOff(), d.capCents(), write(tiers), giftSku,
                d.giftValueCents(), d.minSpendCents() == null ? 0 : d.minSpendCents(),
                categories.toArray(String[]::new), skus.toArray(String[]::new), stores.toArray(Long[]::new),
                d.validFrom(), d.validUntil(), d.validDays(), stacking, stacksWith.toArray(Long[]::new),
                d.perCustomerLimit(), d.totalQuantity(), d.budgetCents(), face, d.active() == null || d.active());
    }

    private static void checkTiers(List<Tier> tiers, Problems p) {
        if (tiers.isEmpty()) {
            p.add("tiers", "noTiers", "at least one tier (满300减50)");
            return;
        }
        if (tiers.size() > MAX_TIERS) {
            p.add(Refusals.CODES.of("tiers", "tooMany", MAX_TIERS, "at most " + MAX_TIERS));
            return;
        }
        Tier previous = null;
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            String at = "tiers[" + i + "]";
            if (t == null) {
                p.add(at, "required", "required");
                continue;
            }
            p.cents(at + ".minCents", t.minCents(), true, 1);
            p.cents(at + ".offCents", t.offCents(), true, 1);
            if (t.offCents() >= t.minCents() && t.offCents() > 0) {
                p.add(at + ".offCents", "tierOffTooLarge", "must be less than minCents");
            }
            if (previous != null && (t.minCents() <= previous.minCents() || t.offCents() <= previous.offCents())) {
                p.add(at, "tiersRise", "tiers must rise in both minCents and offCents");
            }
            previous = t;
        }
    }

    private static Set<String> codes(String field, Set<String> values, Problems p) {
        Set<String> out = new LinkedHashSet<>();
        if (values == null) {
            return out;
        }
        if (values.size() > MAX_SCOPE) {
            p.add(Refusals.CODES.of(field, "tooMany", MAX_SCOPE, "at most " + MAX_SCOPE));
            return out;
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                p.add(field, "blankCode", "blank code");
            } else if (v.strip().length() > 64) {
                p.add(Refusals.CODES.of(field, "codeTooLong", 64, "code too long: " + v.strip().substring(0, 16) + "…"));
            } else {
                out.add(v.strip());
            }
        }
        return out;
    }

    private String write(List<Tier> tiers) {
        try {
            return json.writeValueAsString(tiers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static CouponTemplate read(ResultSet rs, ObjectMapper json) throws SQLException {
        List<Tier> tiers;
        try {
            tiers = json.readValue(rs.getString("tiers"), new TypeReference<List<Tier>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tiers of template " + rs.getLong("id"), e);
        }
        return new CouponTemplate(rs.getLong("id"), rs.getString("name"), CouponKind.ofCode(rs.getString("kind")),
                rs.getObject("amount_cents", Long.class), rs.getObject("percent_off", Integer.class),
                rs.getObject("cap_cents", Long.class), List.copyOf(tiers), rs.getString("gift_sku"),
                rs.getObject("gift_value_cents", Long.class), rs.getLong("min_spend_cents"),
                Set.copyOf(strings(rs.getArray("scope_categories"))), Set.copyOf(strings(rs.getArray("scope_skus"))),
                Set.copyOf(longs(rs.getArray("scope_store_ids"))), instant(rs, "valid_from"), instant(rs, "valid_until"),
                rs.getObject("valid_days", Integer.class), Stacking.ofCode(rs.getString("stacking")),
                Set.copyOf(longs(rs.getArray("stacks_with"))), rs.getObject("per_customer_limit", Integer.class),
                rs.getObject("total_quantity", Integer.class), rs.getObject("budget_cents", Long.class),
                rs.getLong("face_cents"), rs.getInt("issued_count"), rs.getLong("issued_face_cents"),
                rs.getBoolean("active"));
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    static List<Long> longs(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((Long[]) array.getArray());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
