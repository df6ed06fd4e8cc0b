package app.regulars.coupons;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Category;
import app.regulars.catalog.Sku;
import app.regulars.catalog.Store;
import app.regulars.customers.CustomerSummary;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.loyalty.LoyaltyMembers;
import app.regulars.loyalty.MemberStatus;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.EventFeed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The till's two questions: which of the customer's coupons apply to this basket and which combination
 * is best ({@link #quote}), and use these coupons for this receipt ({@link #redeem}), atomically and
 * once per till transaction.
 */
@Service
class Till {

    static final int MAX_LINES = 500;
    static final int MAX_QUANTITY = 10_000;
    static final int MAX_CODES = 20;
    static final long MAX_UNIT_CENTS = 100_000_000L; // one million yuan a unit
    static final int MAX_KEY = 100;

    /** One coupon as the quote shows it. */
    record QuotedCoupon(String code, Long couponId, Long templateId, String name, String kind, Instant validUntil,
                        boolean applicable, CouponReason reason, long discountCents, long giftCents, String giftSku,
                        boolean inBest) {}

    /** The best combination: what to take off and where. */
    record Combination(List<String> couponCodes, long discountCents, long giftCents, List<String> giftSkus,
                       long payCents, List<Long> lineDiscountCents) {}

    /** Points as the loyalty module reports them: what can be spent now and how many make ¥1 at the till. */
    record Points(long spendable, int pointsPerYuan) {}

    /**
     * The member's tier, its discount (500 basis points = 5 % off) and what that is worth on this basket:
     * taken from what is left after the coupons, rounded down to the cent.
     */
    record Tier(String code, String name, int discountBasisPoints, long discountCents) {

        static Tier of(MemberStatus member, long afterCoupons) {
            return new Tier(member.tierCode(), member.tierName(), member.discountBasisPoints(),
                    discount(afterCoupons, member.discountBasisPoints()));
        }

        /** Basis points of an amount, rounded down: the member never gets more than the rate says. */
        static long discount(long cents, int basisPoints) {
            return basisPoints <= 0 || cents <= 0 ? 0 : Math.multiplyExact(cents, (long) basisPoints) / 10_000;
        }
    }

    /**
     * @param payCents what the customer pays: the basket less the best combination's discount, less the
     *                 tier discount on what is left ({@code best.payCents} is before the tier discount)
     */
    record Quote(Long customerId, long basketCents, List<QuotedCoupon> coupons, Combination best, Points points,
                 Tier tier, long payCents) {}

    /** One coupon of a redemption. */
    record RedeemedCoupon(String code, long couponId, long templateId, long discountCents, long giftCents,
                          String giftSku) {}

    /**
     * @param discountCents what the coupons took off (spread over the lines in {@code lineDiscountCents})
     * @param tier          the member's tier and its discount on what the coupons left, as in the quote
     * @param payCents      what the customer pays: the basket less the coupons, less the tier discount
     */
    record Redemption(long redemptionId, String source, String tillTransactionId, String receiptNo, long customerId,
                      long basketCents, long discountCents, long giftCents, Tier tier, long payCents,
                      List<RedeemedCoupon> coupons, List<Long> lineDiscountCents, boolean replayed) {}

    /** A request whose fields were checked and converted. */
    private record Checked(Store store, Basket basket, Long customerId, List<String> codes) {
        Checked heldBy(long customer) {
            return new Checked(store, basket, customer, codes);
        }
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Customers customers;
    private final LoyaltyMembers members;
    private final EventFeed feed;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;

    Till(JdbcClient jdbc, Catalog catalog, Customers customers, LoyaltyMembers members, EventFeed feed,
         TransactionTemplate tx, Clock clock, ObjectMapper json) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.customers = customers;
        this.members = members;
        this.feed = feed;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    Quote quote(TillRequest request) {
        Checked c = check(request, false);
        Instant now = clock.instant();
        Map<String, HeldCoupon> held = new LinkedHashMap<>();
        if (c.customerId() != null) {
            for (HeldCoupon h : customerCoupons(c.customerId(), now)) {
                held.put(h.code(), h);
            }
        }
        Map<String, HeldCoupon> scanned = byCodes(c.codes(), false);
        List<QuotedCoupon> quoted = new ArrayList<>();
        List<HeldCoupon> applicable = new ArrayList<>();
        Map<Long, CouponReason> reasons = new HashMap<>();
        for (String code : c.codes()) {
            if (!scanned.containsKey(code)) {
                quoted.add(new QuotedCoupon(code, null, null, null, null, null, false, CouponReason.UNKNOWN_CODE, 0, 0,
                        null, false));
            } else {
                held.putIfAbsent(code, scanned.get(code));
            }
        }
        for (HeldCoupon h : held.values()) {
            CouponReason reason = Pricing.check(h, c.basket(), c.customerId(), now);
            if (reason == null) {
                applicable.add(h);
            } else {
                reasons.put(h.id(), reason);
            }
        }
        Pricing.Applied best = Pricing.best(applicable, c.basket());
        Set<Long> inBest = new LinkedHashSet<>();
        best.shares().forEach(s -> inBest.add(s.coupon().id()));
        for (HeldCoupon h : held.values()) {
            CouponReason reason = reasons.get(h.id());
            if (reason == null && !inBest.contains(h.id())) {
                boolean stacks = best.shares().stream()
                        .allMatch(s -> s.coupon().template().stacksWith(h.template()));
                reason = stacks ? null : CouponReason.NOT_STACKABLE;
            }
            Pricing.Share alone = reasons.containsKey(h.id()) ? null : Pricing.apply(List.of(h), c.basket()).shares().getFirst();
            quoted.add(new QuotedCoupon(h.code(), h.id(), h.template().id(), h.template().name(),
                    h.template().kind().code(), h.validUntil(), !reasons.containsKey(h.id()), reason,
                    alone == null ? 0 : alone.discountCents(), alone == null ? 0 : alone.giftCents(),
                    h.template().giftSku(), inBest.contains(h.id())));
        }
        Optional<MemberStatus> member = c.customerId() == null ? Optional.empty() : members.status(c.customerId());
        Combination combination = combination(best, c.basket());
        // Coupons first, then the tier discount on what they leave (decision 0014).
        Tier tier = member.map(m -> Tier.of(m, combination.payCents())).orElse(null);
        return new Quote(c.customerId(), c.basket().total(), quoted, combination,
                member.map(m -> new Points(m.spendable(), m.cashPointsPerYuan())).orElse(null), tier,
                combination.payCents() - (tier == null ? 0 : tier.discountCents()));
    }

    Redemption redeem(TillRequest request) {
        Checked c = check(request, true);
        String source = request.source().strip();
        String txn = request.tillTransactionId().strip();
        String receiptNo = request.receiptNo().strip();
        Redemption earlier = stored(source, txn);
        if (earlier != null) {
            return earlier;
        }
        if (c.customerId() == null) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "customer: unknown customer",
                    List.of(new FieldError("customer", "no such customer")));
        }
        return tx.execute(status -> {
            Checked held = c.heldBy(holdLiving(c.customerId()));
            Instant now = clock.instant();
            // Claims the till transaction: a concurrent retry waits here until this one commits or rolls back.
            Long id = jdbc.sql("""
                            insert into coupon_redemption (source, till_txn_id, receipt_no, customer_id, store_id,
                                basket_cents, discount_cents, result, redeemed_at)
                            values (?, ?, ?, ?, ?, ?, 0, '{}', ?)
                            on conflict (source, till_txn_id) do nothing returning id""")
                    .params(source, txn, receiptNo, held.customerId(), held.store().id(), held.basket().total(),
                            JdbcCouponTemplates.ts(now))
                    .query(Long.class).optional().orElse(null);
            if (id == null) {
                return stored(source, txn);
            }
            // Row locks in code order: two tills redeeming overlapping coupons cannot deadlock.
            Map<String, HeldCoupon> locked = byCodes(held.codes(), true);
            List<FieldError> errors = new ArrayList<>();
            List<HeldCoupon> chosen = new ArrayList<>();
            for (int i = 0; i < held.codes().size(); i++) {
                String code = held.codes().get(i);
                HeldCoupon h = locked.get(code);
                CouponReason reason = h == null ? CouponReason.UNKNOWN_CODE : Pricing.check(h, held.basket(), held.customerId(), now);
                if (reason != null) {
                    errors.add(new FieldError("couponCodes[" + i + "]", reason.name()));
                } else {
                    chosen.add(h);
                }
            }
            if (errors.isEmpty() && !Pricing.allStack(chosen)) {
                for (int i = 0; i < chosen.size(); i++) {
                    HeldCoupon h = chosen.get(i);
                    if (chosen.stream().anyMatch(o -> o != h && !o.template().stacksWith(h.template()))) {
                        errors.add(new FieldError("couponCodes[" + i + "]", CouponReason.NOT_STACKABLE.name()));
                    }
                }
            }
            if (!errors.isEmpty()) {
                status.setRollbackOnly();
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY,
                        errors.getFirst().field() + ": " + errors.getFirst().reason(), errors);
            }
            Pricing.Applied applied = Pricing.apply(chosen, held.basket());
            for (Pricing.Share s : applied.shares()) {
                int updated = jdbc.sql("update coupon set status = 'redeemed', redemption_id = ? where id = ? and status = 'active'")
                        .params(id, s.coupon().id()).update();
                if (updated != 1) {
                    throw new IllegalStateException("coupon " + s.coupon().id() + " changed under its row lock");
                }
                jdbc.sql("""
                                insert into coupon_redemption_line (redemption_id, coupon_id, template_id, discount_cents, gift_cents)
                                values (?, ?, ?, ?, ?)""")
                        .params(id, s.coupon().id(), s.coupon().template().id(), s.discountCents(), s.giftCents()).update();
            }
            List<RedeemedCoupon> coupons = applied.shares().stream().map(s -> new RedeemedCoupon(s.coupon().code(),
                    s.coupon().id(), s.coupon().template().id(), s.discountCents(), s.giftCents(),
                    s.coupon().template().giftSku())).toList();
            long afterCoupons = held.basket().total() - applied.discountCents();
            Tier tier = members.status(held.customerId()).map(m -> Tier.of(m, afterCoupons)).orElse(null);
            Redemption result = new Redemption(id, source, txn, receiptNo, held.customerId(), held.basket().total(),
                    applied.discountCents(), applied.giftCents(), tier,
                    afterCoupons - (tier == null ? 0 : tier.discountCents()), coupons, lines(applied), false);
            jdbc.sql("update coupon_redemption set discount_cents = ?, gift_cents = ?, result = ?::jsonb where id = ?")
                    .params(applied.discountCents(), applied.giftCents(), write(result), id).update();
            // The till may have posted the receipt first: bind to it now.
            jdbc.sql("""
                            update coupon_redemption r set receipt_id = k.receipt_id, receipt_total_cents = k.total_cents
                            from coupon_receipt k where r.id = ? and k.source = r.source and k.receipt_no = r.receipt_no""")
                    .param(id).update();
            List<EventFeed.NewEvent> events = new ArrayList<>();
            for (Pricing.Share s : applied.shares()) {
                events.add(new EventFeed.NewEvent(Issuance.TOPIC, "coupon.redeemed", held.customerId(), now,
                        Map.of("couponId", s.coupon().id(), "templateId", s.coupon().template().id(),
                                "redemptionId", id, "storeId", held.store().id(), "source", source,
                                "receiptNo", receiptNo, "discountCents", s.discountCents(),
                                "giftCents", s.giftCents())));
            }
            feed.appendAll(events);
            return result;
        });
    }

    /**
     * The customer the till named, or the survivor they were merged into, held until commit. WHY: a till
     * keeps the id it was given when the sale began; a merge since has moved that customer's coupons to
     * the survivor, and a merge during this call would otherwise leave the redemption behind.
     */
    private long holdLiving(long customerId) {
        Long living = customers.holdLiving(List.of(customerId)).get(customerId);
        if (living == null) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "customer: unknown customer",
                    List.of(new FieldError("customer", "no such customer")));
        }
        return living;
    }

    private Redemption stored(String source, String txn) {
        return jdbc.sql("select result::text from coupon_redemption where source = ? and till_txn_id = ?")
                .params(source, txn).query(String.class).optional()
                .map(text -> {
                    try {
                        Redemption r = json.readValue(text, Redemption.class);
                        return new Redemption(r.redemptionId(), r.source(), r.tillTransactionId(), r.receiptNo(),
                                r.customerId(), r.basketCents(), r.discountCents(), r.giftCents(), r.tier(), r.payCents(),
                                r.coupons(), r.lineDiscountCents(), true);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("unreadable stored redemption", e);
                    }
                }).orElse(null);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Combination combination(Pricing.Applied best, Basket basket) {
        return new Combination(best.shares().stream().map(s -> s.coupon().code()).toList(), best.discountCents(),
                best.giftCents(), best.shares().stream().filter(s -> s.coupon().template().kind() == CouponKind.GIFT)
                .map(s -> s.coupon().template().giftSku()).toList(), basket.total() - best.discountCents(),
                best.shares().isEmpty() ? List.of() : lines(best));
    }

    private static List<Long> lines(Pricing.Applied applied) {
        List<Long> list = new ArrayList<>(applied.lineDiscounts().length);
        for (long d : applied.lineDiscounts()) {
            list.add(d);
        }
        return list;
    }

    /** The customer's coupons worth showing: active ones, including those expired in the last 30 days. */
    private List<HeldCoupon> customerCoupons(long customerId, Instant now) {
        return jdbc.sql("select c.id as coupon_id, c.code, c.customer_id, c.status, c.valid_from as c_from, "
                        + "c.valid_until as c_until, " + JdbcCouponTemplates.COLUMNS + """
                         from coupon c join coupon_template t on t.id = c.template_id
                         where c.customer_id = ? and c.status = 'active' and c.valid_until > ?
                         order by c.valid_until, c.id limit 200""")
                .params(customerId, JdbcCouponTemplates.ts(now.minus(java.time.Duration.ofDays(30))))
                .query((rs, i) -> held(rs)).list();
    }

    private Map<String, HeldCoupon> byCodes(List<String> codes, boolean lock) {
        Map<String, HeldCoupon> found = new HashMap<>();
        if (codes.isEmpty()) {
            return found;
        }
        if (lock) {
            jdbc.sql("select id from coupon where code = any(?) order by code for update")
                    .param(codes.toArray(String[]::new)).query(Long.class).list();
        }
        jdbc.sql("select c.id as coupon_id, c.code, c.customer_id, c.status, c.valid_from as c_from, "
                        + "c.valid_until as c_until, " + JdbcCouponTemplates.COLUMNS + """
                         from coupon c join coupon_template t on t.id = c.template_id
                         where c.code = any(?)""")
                .param(codes.toArray(String[]::new))
                .query((rs, i) -> held(rs)).list().forEach(h -> found.put(h.code(), h));
        return found;
    }

    private HeldCoupon held(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new HeldCoupon(rs.getLong("coupon_id"), rs.getString("code"), JdbcCouponTemplates.read(rs, json),
                rs.getLong("customer_id"), "redeemed".equals(rs.getString("status")),
                JdbcCouponTemplates.instant(rs, "c_from"), JdbcCouponTemplates.instant(rs, "c_until"));
    }

    // ---- input

    private Checked check(TillRequest r, boolean redeem) {
        if (r == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        List<FieldError> errors = new ArrayList<>();
        if (redeem) {
            key(r.source(), "source", errors);
            key(r.tillTransactionId(), "tillTransactionId", errors);
            key(r.receiptNo(), "receiptNo", errors);
        }
        if (r.storeCode() == null || r.storeCode().isBlank()) {
            errors.add(new FieldError("storeCode", "required"));
        }
        if (r.customer() == null || (blank(r.customer().phone()) && blank(r.customer().cardNo())
                && r.customer().customerId() == null)) {
            errors.add(new FieldError("customer", "required: phone, cardNo or customerId"));
        } else if (r.customer().customerId() != null && r.customer().customerId() <= 0) {
            errors.add(new FieldError("customer.customerId", "must be positive"));
        }
        List<Basket.Line> lines = new ArrayList<>();
        if (r.lines() == null || r.lines().isEmpty()) {
            errors.add(new FieldError("lines", "required"));
        } else if (r.lines().size() > MAX_LINES) {
            errors.add(new FieldError("lines", "at most " + MAX_LINES));
        } else {
            for (int i = 0; i < r.lines().size(); i++) {
                Basket.Line line = line(r.lines().get(i), "lines[" + i + "].", errors);
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        List<String> codes = new ArrayList<>();
        if (r.couponCodes() != null) {
            if (r.couponCodes().size() > MAX_CODES) {
                errors.add(new FieldError("couponCodes", "at most " + MAX_CODES));
            }
            for (int i = 0; i < r.couponCodes().size() && i < MAX_CODES; i++) {
                String code = CouponCodes.normalise(r.couponCodes().get(i));
                if (code.isEmpty() || code.length() > 64) {
                    errors.add(new FieldError("couponCodes[" + i + "]", "blank or too long"));
                } else if (codes.contains(code)) {
                    errors.add(new FieldError("couponCodes[" + i + "]", "listed twice"));
                } else {
                    codes.add(code);
                }
            }
        }
        if (redeem && codes.isEmpty() && errors.stream().noneMatch(e -> e.field().startsWith("couponCodes"))) {
            errors.add(new FieldError("couponCodes", "required: the coupons to redeem"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        Store store = catalog.storeByCode(r.storeCode().strip()).orElseThrow(() -> new ApiProblem(
                HttpStatus.UNPROCESSABLE_ENTITY, "storeCode: unknown store",
                List.of(new FieldError("storeCode", "unknown store"))));
        Caller caller = Callers.current();
        if (!caller.maySee(store.id())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "storeCode: outside this caller's stores",
                    List.of(new FieldError("storeCode", "store " + store.code() + " is outside this caller's stores")));
        }
        return new Checked(store, new Basket(store.id(), withCategories(lines)), customer(r.customer()), codes);
    }

    private Long customer(TillRequest.Who who) {
        if (who.customerId() != null) { // a till may still know a customer merged since: the survivor answers
            return customers.summary(who.customerId()).map(CustomerSummary::id).orElse(null);
        }
        Optional<Long> found = customers.find(new Identity(blank(who.phone()) ? null : who.phone(),
                blank(who.cardNo()) ? null : who.cardNo(), null, null, null, null));
        return found.orElse(null);
    }

    /** Lines with their category and its ancestors; a line sent without a category takes the catalog's. */
    private List<Basket.Line> withCategories(List<Basket.Line> lines) {
        Map<String, String> parents = new HashMap<>();
        for (Category c : catalog.categories()) {
            parents.put(c.code(), c.parentCode());
        }
        List<Basket.Line> out = new ArrayList<>(lines.size());
        for (Basket.Line l : lines) {
            String category = l.categories().isEmpty() ? catalog.skuByCode(l.sku()).map(Sku::categoryCode).orElse(null)
                    : l.categories().iterator().next();
            Set<String> path = new LinkedHashSet<>();
            for (String c = category; c != null && path.add(c); c = parents.get(c)) {
                // walks up to the root; the set stops a (corrupt) cycle
            }
            out.add(new Basket.Line(l.sku(), path, l.quantity(), l.unitPriceCents(), l.discountCents()));
        }
        return out;
    }

    private static Basket.Line line(TillRequest.LineJson l, String at, List<FieldError> errors) {
        if (l == null) {
            errors.add(new FieldError(at.substring(0, at.length() - 1), "required"));
            return null;
        }
        int before = errors.size();
        if (l.sku() == null || l.sku().isBlank()) {
            errors.add(new FieldError(at + "sku", "required"));
        } else if (l.sku().length() > 64) {
            errors.add(new FieldError(at + "sku", "at most 64 characters"));
        }
        Integer quantity = null;
        if (l.quantity() == null) {
            errors.add(new FieldError(at + "quantity", "required"));
        } else {
            try {
                quantity = l.quantity().stripTrailingZeros().intValueExact();
                if (quantity < 1 || quantity > MAX_QUANTITY) {
                    errors.add(new FieldError(at + "quantity", "must be between 1 and " + MAX_QUANTITY));
                }
            } catch (ArithmeticException e) {
                errors.add(new FieldError(at + "quantity", "must be a whole number"));
            }
        }
        Long price = cents(l.unitPrice(), at + "unitPrice", true, errors);
        Long discount = cents(l.discount(), at + "discount", false, errors);
        if (errors.size() > before) {
            return null;
        }
        long d = discount == null ? 0 : discount;
        if (d > quantity * price) {
            errors.add(new FieldError(at + "discount", "more than the line costs"));
            return null;
        }
        Set<String> category = blank(l.category()) ? Set.of() : Set.of(l.category().strip());
        return new Basket.Line(l.sku().strip(), category, quantity, price, d);
    }

    private static Long cents(BigDecimal yuan, String field, boolean required, List<FieldError> errors) {
        if (yuan == null) {
            if (required) {
                errors.add(new FieldError(field, "required"));
            }
            return null;
        }
        if (yuan.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative"));
            return null;
        }
        if (yuan.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(field, "has more than 2 decimals"));
            return null;
        }
        BigDecimal cents = yuan.movePointRight(2);
        if (cents.compareTo(BigDecimal.valueOf(MAX_UNIT_CENTS)) > 0) {
            errors.add(new FieldError(field, "is absurdly large (at most 1000000.00)"));
            return null;
        }
        return cents.longValueExact();
    }

    private static void key(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "required"));
        } else if (value.strip().length() > MAX_KEY) {
            errors.add(new FieldError(field, "at most " + MAX_KEY + " characters"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
