package app.regulars.insights.engine;

import app.regulars.insights.Memberships;
import app.regulars.insights.RuleReferenceException;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.RuleMessage.Code;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Value;
import app.regulars.insights.rule.Window;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;

/**
 * Compiles a rule's AST into a {@link Program} over the index. Names are resolved here, once: an
 * unknown field, tag, segment, holiday or interaction type is a {@link RuleReferenceException}
 * pointing at the node. Called under the index's read lock (dictionary sizes must not move).
 */
final class Compiler {

    static final Set<String> METRICS = Set.of("days_since_last_purchase", "days_since_first_purchase", "recency",
            "frequency", "monetary", "aov", "first_purchase_date", "last_purchase_date", "repurchase_cycle_days",
            "next_expected_purchase_date", "discount_rate", "coupon_redemption_rate", "returns_rate", "active_months",
            "holiday_share", "tenure_days");
    static final Set<String> PREFERENCES = Set.of("preferred_payment", "preferred_channel", "preferred_store");
    static final Set<String> PROFILE_TEXTS = Set.of("gender", "age_band", "city", "region", "registration_channel",
            "home_store", "registration_store");
    static final Dictionary SEGMENT_NAMES = segmentNames();

    private final CustomerIndex index;
    private final CatalogFacts facts;
    private final Memberships memberships;
    private final int[] today;
    private final Supplier<Rfm> rfm;
    private final Nodes.BlockMetrics metrics;
    private final LocalDays days;

    Compiler(CustomerIndex index, CatalogFacts facts, Memberships memberships, int[] today, Supplier<Rfm> rfm) {
        this.index = index;
        this.facts = facts;
        this.memberships = memberships;
        this.today = today;
        this.rfm = rfm;
        this.metrics = new Nodes.BlockMetrics(new Metrics(index, today, facts.holidayDays()));
        this.days = new LocalDays(index.zones);
        days.of(0, index.zones.size() - 1); // learns every zone now: programs run on several threads
    }

    Program compile(Rule rule) {
        return new Program(cond(rule), index, metrics);
    }

    private static Dictionary segmentNames() {
        Dictionary d = new Dictionary(64);
        Rfm.SEGMENTS.forEach(d::code);
        return d;
    }

    private Nodes.Cond cond(Rule rule) {
        return switch (rule) {
            case Rule.And and -> new Nodes.Junction(and.parts().stream().map(this::cond).toArray(Nodes.Cond[]::new), true);
            case Rule.Or or -> new Nodes.Junction(or.parts().stream().map(this::cond).toArray(Nodes.Cond[]::new), false);
            case Rule.Not not -> new Nodes.Not(cond(not.part()));
            case Rule.Compare cmp -> compare(cmp);
            case Rule.In in -> in(in);
            case Rule.HasTag tag -> new Nodes.Member(required(memberships.tag(tag.tag()), Code.NO_TAG, tag.tag(),
                    tag.span()));
            case Rule.InSegment seg -> new Nodes.Member(
                    required(memberships.segment(seg.segment()), Code.NO_SEGMENT, seg.segment(), seg.span()));
            case Rule.Within within -> within(within);
        };
    }

    private static RoaringBitmap required(RoaringBitmap members, Code missing, String name, Span span) {
        if (members == null) {
            throw new RuleReferenceException(RuleMessage.of(missing, name), span);
        }
        return members;
    }

    private Nodes.Cond compare(Rule.Compare cmp) {
        Object left = value(cmp.left());
        Object right = value(cmp.right());
        if (left instanceof Nodes.Num l && right instanceof Nodes.Num r) {
            return new Nodes.CompareNum(l, cmp.operator(), r);
        }
        if (left instanceof Nodes.Text l && right instanceof Nodes.Text r) {
            boolean equality = cmp.operator() == Rule.Operator.EQ || cmp.operator() == Rule.Operator.NE;
            if (equality && r instanceof Nodes.TextConst k && !(l instanceof Nodes.TextConst)) {
                return new Nodes.TextIs(l, new int[] {l.dictionary.find(k.value)}, cmp.operator() == Rule.Operator.NE);
            }
            if (equality && l instanceof Nodes.TextConst k && !(r instanceof Nodes.TextConst)) {
                return new Nodes.TextIs(r, new int[] {r.dictionary.find(k.value)}, cmp.operator() == Rule.Operator.NE);
            }
            return new Nodes.CompareText(l, cmp.operator(), r);
        }
        throw new IllegalArgumentException("cannot compare a number with a text at " + cmp.span());
    }

    private Nodes.Cond in(Rule.In in) {
        Object left = value(in.left());
        if (left instanceof Nodes.Text t) {
            int[] codes = in.values().stream().mapToInt(v -> t.dictionary.find(text(v))).toArray();
            return new Nodes.TextIs(t, codes, false);
        }
        double[] values = in.values().stream().mapToDouble(Compiler::number).toArray();
        return new Nodes.InNum((Nodes.Num) left, values);
    }

    private Nodes.Cond within(Rule.Within within) {
        if (within.field().name().equals("birthday")) {
            boolean[][] byZone = new boolean[index.zones.size()][];
            for (int z = 0; z < byZone.length; z++) {
                byZone[z] = Days.birthdaysWithin(today[z], within.days());
            }
            return new Nodes.BirthdayWithin(byZone, index);
        }
        return new Nodes.DateWithin((Nodes.Num) value(within.field()), within.days(), today, index);
    }

    private static String text(Value.Literal v) {
        if (v instanceof Value.TextLiteral t) {
            return t.value();
        }
        throw new IllegalArgumentException("expected a text at " + v.span());
    }

    private static double number(Value.Literal v) {
        return switch (v) {
            case Value.NumberLiteral n -> n.value().doubleValue();
            case Value.DateLiteral d -> d.value().toEpochDay();
            default -> throw new IllegalArgumentException("expected a number or date at " + v.span());
        };
    }

    /** A Nodes.Num or a Nodes.Text. */
    private Object value(Value value) {
        return switch (value) {
            case Value.NumberLiteral n -> new Nodes.NumConst(n.value().doubleValue());
            case Value.DateLiteral d -> new Nodes.NumConst(d.value().toEpochDay());
            case Value.TextLiteral t -> new Nodes.TextConst(t.value());
            case Value.BooleanLiteral b -> throw new IllegalArgumentException("a boolean cannot be compared at " + b.span());
            case Value.Field f -> field(f);
            case Value.Aggregate a -> aggregate(a);
            case Value.Arithmetic a -> new Nodes.Arithmetic((Nodes.Num) value(a.left()), a.operator(),
                    (Nodes.Num) value(a.right()));
        };
    }

    private Object field(Value.Field f) {
        String name = f.name();
        if (name.equals("days_since_last_purchase") || name.equals("recency") || name.equals("last_purchase_date")) {
            return new Nodes.LastSale(index, today, name.equals("last_purchase_date"));
        }
        if (METRICS.contains(name)) {
            return new Nodes.NumMetric(metrics, metrics.number(name));
        }
        CustomerIndex x = index;
        return switch (name) {
            case "preferred_payment" -> new Nodes.TextMetric(x.payments, metrics, metrics.text(name));
            case "preferred_channel" -> new Nodes.TextMetric(x.channels, metrics, metrics.text(name));
            case "preferred_store" -> new Nodes.TextMetric(x.stores, metrics, metrics.text(name));
            case "registered_date" -> new Nodes.NumOf(c -> x.registeredDay[c]);
            case "birth_month" -> new Nodes.NumOf(c -> x.birthMmdd[c] == 0 ? Double.NaN : x.birthMmdd[c] / 100);
            case "gender" -> new Nodes.TextOf(x.texts, c -> x.gender[c]);
            case "age_band" -> new Nodes.TextOf(x.texts, c -> x.ageBand[c]);
            case "city" -> new Nodes.TextOf(x.texts, c -> x.city[c]);
            case "region" -> new Nodes.TextOf(x.texts, c -> x.region[c]);
            case "registration_channel" -> new Nodes.TextOf(x.texts, c -> x.registrationChannel[c]);
            case "home_store" -> new Nodes.TextOf(x.stores, c -> x.homeStore[c]);
            case "registration_store" -> new Nodes.TextOf(x.stores, c -> x.registrationStore[c]);
            case "r_score", "f_score", "m_score", "rfm_segment" -> rfmField(name);
            case "tier" -> tier();
            case "points_balance" -> new Nodes.NumOf(c -> x.loyalty.balance[c]);
            case "coupons_unused" -> couponsUnused();
            case "birthday" -> throw new IllegalArgumentException("birthday is only used with within, at " + f.span());
            default -> customField(f);
        };
    }

    private Object rfmField(String name) {
        Rfm scores = rfm.get();
        if (name.equals("rfm_segment")) {
            return new Nodes.TextOf(SEGMENT_NAMES, c -> c < scores.segment.length ? scores.segment[c] : 0);
        }
        byte[] s = switch (name) {
            case "r_score" -> scores.r;
            case "f_score" -> scores.f;
            default -> scores.m;
        };
        return new Nodes.NumOf(c -> c < s.length && s[c] != 0 ? s[c] : Double.NaN);
    }

    // ---- loyalty facts (docs/rule-language.md: dated in the customer's own timezone) ---------------

    /** Tier codes as this program's own dictionary: a customer without a points account has the lowest tier. */
    private Nodes.Text tier() {
        Dictionary codes = new Dictionary(Integer.MAX_VALUE - 1);
        facts.tiers().forEach(codes::code);
        LoyaltyColumns loyalty = index.loyalty;
        int[] map = new int[loyalty.tiers.size() + 1];
        map[0] = facts.tiers().isEmpty() ? 0 : 1;
        for (int code = 1; code < map.length; code++) {
            map[code] = codes.code(loyalty.tiers.text(code));
        }
        return new Nodes.TextOf(codes, c -> map[loyalty.tier[c]]);
    }

    /** What is asked of one coupon: its template, the end of its validity, when it was redeemed (or not). */
    private interface CouponTest {
        boolean test(long template, long validUntil, long redeemedAt, int zone);
    }

    /** Per customer, how many of their coupons pass the test (in the customer's timezone). */
    private Nodes.Num coupons(CouponTest counts) {
        LoyaltyColumns loyalty = index.loyalty;
        return new Nodes.NumOf(c -> {
            long[] k = loyalty.coupons[c];
            if (k == null) {
                return 0;
            }
            int z = index.zone[c];
            int n = 0;
            for (int i = 0; i < k.length; i += 3) {
                if (counts.test(k[i], k[i + 1], k[i + 2], z)) {
                    n++;
                }
            }
            return n;
        });
    }

    private Nodes.Num couponsUnused() {
        return coupons((template, until, redeemed, z) -> redeemed == LoyaltyColumns.NOT_REDEEMED
                && days.of(until, z) >= today[z]);
    }

    /** Points in open lots whose expiry day falls in the window, which looks ahead from today. */
    private Nodes.Num pointsExpiring(Value.Aggregate a) {
        int[][] range = ranges(a.window(), true);
        LoyaltyColumns loyalty = index.loyalty;
        return new Nodes.NumOf(c -> {
            long[] lots = loyalty.lots[c];
            if (lots == null) {
                return 0;
            }
            int z = index.zone[c];
            long points = 0;
            for (int i = 0; i < lots.length; i += 2) {
                int day = days.of(lots[i], z);
                if (day >= range[0][z] && day <= range[1][z]) {
                    points += lots[i + 1];
                }
            }
            return points;
        });
    }

    /** Coupons of the named template(s) redeemed (and not reversed by a refund) on a day in the window. */
    private Nodes.Num couponRedeemed(Value.Aggregate a) {
        List<Long> ids = facts.couponTemplates().get(a.argument());
        if (ids == null) {
            throw new RuleReferenceException(RuleMessage.of(Code.NO_COUPON_TEMPLATE, a.argument()), a.span());
        }
        long[] templates = ids.stream().mapToLong(Long::longValue).sorted().toArray();
        int[][] range = ranges(a.window(), false);
        return coupons((template, until, redeemed, z) -> {
            if (redeemed == LoyaltyColumns.NOT_REDEEMED || Arrays.binarySearch(templates, template) < 0) {
                return false;
            }
            int day = days.of(redeemed, z);
            return day >= range[0][z] && day <= range[1][z];
        });
    }

    /** A window's first and last day per timezone; looking ahead, it starts today at the earliest. */
    private int[][] ranges(Window window, boolean ahead) {
        int zones = index.zones.size();
        int[][] out = new int[2][zones];
        for (int z = 0; z < zones; z++) {
            int t = today[z];
            int[] r = ahead && window instanceof Window.Rolling rolling ? new int[] {t, t + rolling.days() - 1}
                    : range(window, t);
            out[0][z] = ahead ? Math.max(r[0], t) : r[0];
            out[1][z] = r[1];
        }
        return out;
    }

    private Object customField(Value.Field f) {
        String type = facts.customFieldTypes().get(f.name());
        if (type == null) {
            throw new RuleReferenceException(RuleMessage.of(Code.NO_FIELD, f.name()), f.span());
        }
        int[] column = index.custom.get(f.name());
        if (type.equals("text") || type.equals("choice")) {
            return column == null ? new Nodes.TextOf(index.customValues, c -> 0)
                    : new Nodes.TextOf(index.customValues, c -> column[c]);
        }
        double[] byCode = new double[index.customValues.size() + 1];
        for (int code = 0; code < byCode.length; code++) {
            byCode[code] = parse(index.customValues.text(code), type);
        }
        return column == null ? new Nodes.NumConst(Double.NaN) : new Nodes.NumOf(c -> byCode[column[c]]);
    }

    /** The custom values that count as numbers and dates; the SQL oracle casts only these. */
    static final Pattern NUMBER = Pattern.compile("^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$");
    static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");

    /** A custom value as the SQL oracle casts it; a value that does not parse has no value. */
    static double parse(String text, String type) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            if (type.equals("date")) {
                return DATE.matcher(text).matches() ? LocalDate.parse(text).toEpochDay() : Double.NaN;
            }
            return NUMBER.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    // ---- aggregates ---------------------------------------------------------------------------

    private Nodes.Num aggregate(Value.Aggregate a) {
        Nodes.RowFilter filter = new Nodes.RowFilter();
        window(a.window(), filter);
        for (Value.Filter f : a.filters()) {
            filter(f, filter);
        }
        if (a.function().equals("points_expiring")) {
            return pointsExpiring(a);
        }
        if (a.function().equals("coupon_redeemed")) {
            return couponRedeemed(a);
        }
        if (a.function().equals("events")) {
            int type = index.interactionTypes.find(a.argument());
            if (type < 0) {
                throw new RuleReferenceException(RuleMessage.of(Code.NO_EVENT_TYPE, a.argument()), a.span());
            }
            return new Nodes.EventFigure(type, false, filter, index);
        }
        if (a.function().equals("avg_rating")) {
            return new Nodes.EventFigure(index.interactionTypes.find("review"), true, filter, index);
        }
        if (a.filters().isEmpty() && PLAIN.contains(a.function())) {
            return new Nodes.WindowAggregate(scans.computeIfAbsent(
                    Arrays.toString(filter.lo) + Arrays.toString(filter.hi), w -> new Nodes.WindowScan(filter, index)),
                    a.function());
        }
        return new Nodes.ReceiptAggregate(a.function(), a.argument(), filter, index);
    }

    /** The aggregates a {@link Nodes.WindowScan} answers when nothing but the window filters rows. */
    private static final Set<String> PLAIN = Set.of("orders", "refunds", "spent");

    /** One scan per window (its days per timezone) in a rule: aggregates over the same days share it. */
    private final Map<String, Nodes.WindowScan> scans = new HashMap<>();

    private void window(Window window, Nodes.RowFilter filter) {
        int zones = index.zones.size();
        filter.lo = new int[zones];
        filter.hi = new int[zones];
        for (int z = 0; z < zones; z++) {
            int[] range = range(window, today[z]);
            filter.lo[z] = range[0];
            filter.hi[z] = range[1];
        }
    }

    private int[] range(Window window, int t) {
        return switch (window) {
            case Window.AllTime a -> new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case Window.Rolling r -> new int[] {t - r.days() + 1, t};
            case Window.Calendar c -> Days.period(c.period(), t);
            case Window.Between b -> new int[] {(int) b.from().toEpochDay(), (int) b.to().toEpochDay()};
            case Window.AroundHoliday h -> around(h, t);
        };
    }

    private int[] around(Window.AroundHoliday h, int t) {
        List<Integer> dates = facts.holiday(h.holiday());
        if (dates == null) {
            throw new RuleReferenceException(RuleMessage.of(Code.NO_HOLIDAY, h.holiday()), h.span());
        }
        int latest = Integer.MIN_VALUE;
        for (int d : dates) {
            if (d <= t) {
                latest = Math.max(latest, d);
            }
        }
        return latest == Integer.MIN_VALUE ? new int[] {1, 0} : new int[] {latest - h.days(), latest + h.days()};
    }

    private void filter(Value.Filter f, Nodes.RowFilter filter) {
        switch (f.dimension()) {
            case "store" -> filter.store = mask(filter.store, index.stores, f.values(), f.negated());
            case "channel" -> filter.channel = mask(filter.channel, index.channels, f.values(), f.negated());
            case "payment" -> filter.payment = mask(filter.payment, index.payments, f.values(), f.negated());
            case "category" -> {
                List<String> codes = new ArrayList<>();
                f.values().forEach(v -> codes.addAll(facts.categoryAndDescendants(v)));
                filter.category = mask(filter.category, index.categories, codes, f.negated());
            }
            case "product" -> {
                BitSet skus = new BitSet();
                f.values().forEach(v -> {
                    Integer id = facts.skuIds().get(v);
                    if (id != null) {
                        skus.set(id);
                    }
                });
                filter.skuIn = append(filter.skuIn, skus);
                filter.skuNegated = Arrays.copyOf(filter.skuNegated, filter.skuNegated.length + 1);
                filter.skuNegated[filter.skuNegated.length - 1] = f.negated();
            }
            case "coupon" -> {
                boolean[] m = filter.coupon == null ? new boolean[] {true, true} : filter.coupon;
                for (int v = 0; v < 2; v++) {
                    boolean in = f.values().contains(v == 1 ? "true" : "false");
                    m[v] &= in != f.negated();
                }
                filter.coupon = m;
            }
            default -> throw new RuleReferenceException(RuleMessage.of(Code.NO_FILTER, f.dimension()), f.span());
        }
    }

    private static BitSet[] append(BitSet[] sets, BitSet more) {
        BitSet[] out = Arrays.copyOf(sets, sets.length + 1);
        out[sets.length] = more;
        return out;
    }

    /** Narrows a mask by code: a value passes when it is (or, negated, is not) one of the listed. */
    private static boolean[] mask(boolean[] mask, Dictionary dictionary, List<String> values, boolean negated) {
        boolean[] m = mask != null ? mask : filled(dictionary.size() + 1);
        boolean[] in = new boolean[m.length];
        for (String v : values) {
            int code = dictionary.find(v);
            if (code > 0 && code < in.length) {
                in[code] = true;
            }
        }
        for (int code = 0; code < m.length; code++) {
            m[code] &= in[code] != negated;
        }
        return m;
    }

    private static boolean[] filled(int n) {
        boolean[] m = new boolean[n];
        Arrays.fill(m, true);
        return m;
    }
}
