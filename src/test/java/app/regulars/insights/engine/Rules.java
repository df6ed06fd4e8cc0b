package app.regulars.insights.engine;

import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Value;
import app.regulars.insights.rule.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random rules over the whole catalogue, with literals that fall inside {@link ShopData}'s ranges. */
final class Rules {

    private static final Span S = Span.NONE;
    static final List<String> NUMBER_FIELDS = List.of("days_since_last_purchase", "days_since_first_purchase",
            "tenure_days", "recency", "frequency", "monetary", "aov", "repurchase_cycle_days", "discount_rate",
            "coupon_redemption_rate", "returns_rate", "active_months", "holiday_share", "r_score", "f_score", "m_score",
            "birth_month", "score", "points_balance", "coupons_unused");
    static final List<String> DATE_FIELDS = List.of("first_purchase_date", "last_purchase_date",
            "next_expected_purchase_date", "registered_date", "joined");
    static final List<String> TEXT_FIELDS = List.of("gender", "age_band", "city", "region", "home_store",
            "registration_store", "registration_channel", "preferred_payment", "preferred_channel", "preferred_store",
            "rfm_segment", "vip_level", "tier");

    private Rules() {}

    static Arbitrary<Rule> rules() {
        return cond(3);
    }

    private static Arbitrary<Rule> cond(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<List<Rule>> parts = cond(depth - 1).list().ofMinSize(2).ofMaxSize(3);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf()),
                net.jqwik.api.Tuple.of(2, parts.map(p -> new Rule.And(p, S))),
                net.jqwik.api.Tuple.of(2, parts.map(p -> new Rule.Or(p, S))),
                net.jqwik.api.Tuple.of(1, cond(depth - 1).map(r -> new Rule.Not(r, S))));
    }

    private static Arbitrary<Rule> leaf() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, numberCompare()),
                net.jqwik.api.Tuple.of(2, twoNumbersCompared()),
                net.jqwik.api.Tuple.of(2, dateCompare()),
                net.jqwik.api.Tuple.of(3, textCompare()),
                net.jqwik.api.Tuple.of(1, textIn()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("vip", "staff").map(t -> (Rule) new Rule.HasTag(t, S))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Rule) new Rule.InSegment("regulars", S))),
                net.jqwik.api.Tuple.of(1, within()));
    }

    private static Arbitrary<Rule.Operator> operators() {
        return Arbitraries.of(Rule.Operator.values());
    }

    private static Arbitrary<Rule> numberCompare() {
        return Combinators.combine(number(2), operators(), threshold())
                .as((v, op, t) -> (Rule) new Rule.Compare(v, op, t, S));
    }

    /**
     * Two computed numbers compared, as the builder's two-sided rows and typed rules compare them
     * ({@code spent(last_month) < 0.5 * spent(prev_3_months)}).
     */
    private static Arbitrary<Rule> twoNumbersCompared() {
        Arbitrary<Value> scaled = Combinators.combine(Arbitraries.of("0.5", "1", "2", "0.17"), number(0))
                .as((f, v) -> (Value) new Value.Arithmetic(new Value.NumberLiteral(new BigDecimal(f), S), '*', v, S));
        return Combinators.combine(number(1), operators(), Arbitraries.oneOf(number(1), scaled))
                .as((l, op, r) -> (Rule) new Rule.Compare(l, op, r, S));
    }

    private static Arbitrary<Value> threshold() {
        return Arbitraries.of("0", "1", "2", "3", "4", "5", "10", "30", "90", "100", "180", "365", "500", "1000",
                "0.5", "0.25", "0.8", "12.5", "2000").map(n -> new Value.NumberLiteral(new BigDecimal(n), S));
    }

    private static Arbitrary<Value> number(int depth) {
        Arbitrary<Value> simple = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, aggregate()),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(NUMBER_FIELDS).map(f -> new Value.Field(f, S))),
                net.jqwik.api.Tuple.of(1, threshold()));
        if (depth == 0) {
            return simple;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, simple),
                net.jqwik.api.Tuple.of(1, Combinators.combine(number(depth - 1), Arbitraries.of('+', '-', '*', '/'),
                        number(depth - 1)).as((l, op, r) -> new Value.Arithmetic(l, op, r, S))));
    }

    private static Arbitrary<Value> aggregate() {
        Arbitrary<String> function = Arbitraries.of("orders", "spent", "avg_spent", "min_spent", "max_spent",
                "quantity", "refunds", "distinct", "events", "avg_rating", "points_expiring", "coupon_redeemed");
        return Combinators.combine(function, Arbitraries.of("category", "product", "store", "channel", "month"),
                        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.of("visit", "check_in", "page_view", "favourite")),
                                net.jqwik.api.Tuple.of(1, Arbitraries.of(app.regulars.insights.rule.Catalogue.EVENT_TYPES))),
                        Arbitraries.of(ShopData.COUPON_TEMPLATES),
                        window(), filter().list().ofMaxSize(2))
                .as((f, dim, type, template, w, filters) -> {
                    if (f.equals("points_expiring")) {
                        return new Value.Aggregate(f, null, w, List.of(), S);
                    }
                    if (f.equals("coupon_redeemed")) {
                        return new Value.Aggregate(f, template, w, List.of(), S);
                    }
                    if (f.equals("events") || f.equals("avg_rating")) {
                        List<Value.Filter> eventFilters = filters.stream()
                                .filter(x -> x.dimension().equals("store") || x.dimension().equals("product")).toList();
                        return new Value.Aggregate(f, f.equals("events") ? type : null, w, eventFilters, S);
                    }
                    return new Value.Aggregate(f, f.equals("distinct") ? dim : null, w, filters, S);
                });
    }

    private static Arbitrary<Window> window() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Window.AllTime(S))),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(7, 30, 90, 365).map(d -> new Window.Rolling(d, S))),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("this_week", "last_week", "this_month", "last_month",
                        "prev_3_months", "this_year", "last_year").map(p -> new Window.Calendar(p, S))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Window.Between(LocalDate.of(2025, 1, 1),
                        LocalDate.of(2025, 3, 31), S))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of("spring_festival", "double_11", "mid_autumn"),
                        Arbitraries.of(3, 7, 15)).as((h, d) -> new Window.AroundHoliday(h, d, S))));
    }

    private static Arbitrary<Value.Filter> filter() {
        Arbitrary<String> dimension = Arbitraries.of("store", "category", "product", "channel", "payment", "coupon");
        return Combinators.combine(dimension, Arbitraries.of(true, false), Arbitraries.integers().between(1, 2),
                        Arbitraries.randomValue(r -> r.nextInt(1000)))
                .as((dim, negated, count, seed) -> {
                    List<String> pool = switch (dim) {
                        case "store" -> ShopData.STORES;
                        case "category" -> ShopData.CATEGORIES;
                        case "product" -> ShopData.SKUS;
                        case "channel" -> ShopData.CHANNELS;
                        case "payment" -> ShopData.PAYMENTS;
                        default -> List.of("true", "false");
                    };
                    List<String> values = count == 1 || dim.equals("coupon") ? List.of(pool.get(seed % pool.size()))
                            : List.of(pool.get(seed % pool.size()), pool.get((seed / 7) % pool.size()));
                    return new Value.Filter(dim, negated, values, S);
                });
    }

    private static Arbitrary<Rule> dateCompare() {
        Arbitrary<Value> date = Arbitraries.integers().between(0, 950)
                .map(d -> new Value.DateLiteral(LocalDate.of(2024, 1, 1).plusDays(d), S));
        return Combinators.combine(Arbitraries.of(DATE_FIELDS).map(f -> (Value) new Value.Field(f, S)), operators(), date)
                .as((f, op, d) -> (Rule) new Rule.Compare(f, op, d, S));
    }

    private static List<String> textValues(String field) {
        return switch (field) {
            case "gender" -> ShopData.GENDERS;
            case "age_band" -> ShopData.AGE_BANDS;
            case "city" -> ShopData.CITIES;
            case "region" -> List.of("east", "north", "west");
            case "home_store", "registration_store", "preferred_store" -> ShopData.STORES;
            case "registration_channel", "preferred_channel" -> List.of("store", "online", "mini_program");
            case "preferred_payment" -> ShopData.PAYMENTS;
            case "rfm_segment" -> Rfm.SEGMENTS;
            case "tier" -> ShopData.TIERS;
            default -> ShopData.VIP;
        };
    }

    private static Arbitrary<Rule> textCompare() {
        return Arbitraries.of(TEXT_FIELDS).flatMap(f -> Combinators.combine(Arbitraries.of(textValues(f)),
                        Arbitraries.of(Rule.Operator.EQ, Rule.Operator.NE, Rule.Operator.LT))
                .as((v, op) -> (Rule) new Rule.Compare(new Value.Field(f, S), op, new Value.TextLiteral(v, S), S)));
    }

    private static Arbitrary<Rule> textIn() {
        return Arbitraries.of(TEXT_FIELDS).flatMap(f -> Arbitraries.of(textValues(f)).list().ofMinSize(1).ofMaxSize(2)
                .map(vs -> (Rule) new Rule.In(new Value.Field(f, S),
                        vs.stream().map(v -> (Value.Literal) new Value.TextLiteral(v, S)).toList(), S)));
    }

    private static Arbitrary<Rule> within() {
        return Combinators.combine(Arbitraries.of("birthday", "next_expected_purchase_date", "joined", "registered_date",
                        "first_purchase_date", "last_purchase_date"),
                        Arbitraries.of(1, 7, 30, 200))
                .as((f, d) -> (Rule) new Rule.Within(new Value.Field(f, S), d, S));
    }
}
