package app.regulars.insights.rule;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rule catalogue v1 (docs/rule-language.md) as code: every name a rule may use, what it takes and
 * what it gives. The type checker, the parser (which functions take an argument), the console's
 * pickers and the documentation read it; the engine and its SQL oracle implement each entry.
 */
public final class Catalogue {

    /** Where a field's value comes from, for grouping in the console's picker. */
    public enum Group { METRIC, PROFILE, LOYALTY, CUSTOM }

    /**
     * A per-customer field.
     *
     * @param withinOnly only usable as {@code field within 7d} (birthday: the year is not kept)
     * @param values     the values a text field can take when they are a closed set, else empty
     */
    public record FieldEntry(String name, Type type, Group group, boolean withinOnly, List<String> values) {}

    /** What the first argument of an aggregate is, when it has one. */
    public enum ArgumentKind { NONE, DIMENSION, EVENT_TYPE, COUPON_TEMPLATE }

    /**
     * A windowed aggregate over purchases or interactions; always a number.
     *
     * @param arguments the allowed first arguments (dimensions of distinct, interaction types of events)
     * @param filters   the filter dimensions it accepts
     */
    public record AggregateEntry(String name, ArgumentKind argumentKind, List<String> arguments, List<String> filters) {
        public Type result() {
            return Type.NUMBER;
        }
    }

    /** The named calendar periods a window can be. */
    public static final List<String> CALENDAR_PERIODS = List.of("this_week", "last_week", "this_month", "last_month",
            "prev_3_months", "this_year", "last_year");

    /** Filters on purchase rows; category, product and coupon look at the receipt's lines. */
    public static final List<String> PURCHASE_FILTERS = List.of("store", "category", "product", "channel", "payment",
            "coupon");

    /** Filters on interaction rows. */
    public static final List<String> EVENT_FILTERS = List.of("store", "product");

    /** The filter whose values are true/false rather than codes. */
    public static final String BOOLEAN_FILTER = "coupon";

    public static final List<String> DISTINCT_DIMENSIONS = List.of("category", "product", "store", "channel", "month");

    public static final List<String> EVENT_TYPES = List.of("visit", "check_in", "page_view", "favourite", "add_to_cart",
            "search", "review", "survey_answer", "share", "message_sent", "message_clicked", "coupon_issued", "coupon_redeemed",
            "ticket");

    /** The calendar periods {@code points_expiring} accepts: it looks ahead, so only the current ones. */
    public static final List<String> LOOK_AHEAD_PERIODS = List.of("this_week", "this_month", "this_year");

    /** The standard named RFM segments, the values of {@code rfm_segment}. */
    public static final List<String> RFM_SEGMENTS = List.of("Champions", "Loyal", "Potential loyalist", "New",
            "Promising", "Need attention", "About to sleep", "At risk", "Can't lose them", "Hibernating", "Lost");

    private static final Map<String, FieldEntry> FIELDS = new LinkedHashMap<>();
    private static final Map<String, AggregateEntry> AGGREGATES = new LinkedHashMap<>();

    static {
        metric("days_since_last_purchase", Type.NUMBER);
        metric("days_since_first_purchase", Type.NUMBER);
        metric("tenure_days", Type.NUMBER);
        metric("recency", Type.NUMBER);
        metric("frequency", Type.NUMBER);
        metric("monetary", Type.NUMBER);
        metric("aov", Type.NUMBER);
        metric("first_purchase_date", Type.DATE);
        metric("last_purchase_date", Type.DATE);
        metric("repurchase_cycle_days", Type.NUMBER);
        metric("next_expected_purchase_date", Type.DATE);
        metric("discount_rate", Type.NUMBER);
        metric("coupon_redemption_rate", Type.NUMBER);
        metric("returns_rate", Type.NUMBER);
        metric("active_months", Type.NUMBER);
        metric("preferred_payment", Type.TEXT);
        metric("preferred_channel", Type.TEXT);
        metric("preferred_store", Type.TEXT);
        metric("holiday_share", Type.NUMBER);
        metric("r_score", Type.NUMBER);
        metric("f_score", Type.NUMBER);
        metric("m_score", Type.NUMBER);
        FIELDS.put("rfm_segment", new FieldEntry("rfm_segment", Type.TEXT, Group.METRIC, false, RFM_SEGMENTS));
        FIELDS.put("gender", new FieldEntry("gender", Type.TEXT, Group.PROFILE, false, List.of("female", "male", "other")));
        profile("age_band", Type.TEXT);
        profile("city", Type.TEXT);
        profile("region", Type.TEXT);
        profile("home_store", Type.TEXT);
        profile("registration_store", Type.TEXT);
        profile("registration_channel", Type.TEXT);
        profile("registered_date", Type.DATE);
        FIELDS.put("birthday", new FieldEntry("birthday", Type.DATE, Group.PROFILE, true, List.of()));
        profile("birth_month", Type.NUMBER);

        loyalty("tier", Type.TEXT);
        loyalty("points_balance", Type.NUMBER);
        loyalty("coupons_unused", Type.NUMBER);

        purchases("orders");
        purchases("spent");
        purchases("avg_spent");
        purchases("min_spent");
        purchases("max_spent");
        purchases("quantity");
        purchases("refunds");
        AGGREGATES.put("distinct", new AggregateEntry("distinct", ArgumentKind.DIMENSION, DISTINCT_DIMENSIONS,
                PURCHASE_FILTERS));
        AGGREGATES.put("events", new AggregateEntry("events", ArgumentKind.EVENT_TYPE, EVENT_TYPES, EVENT_FILTERS));
        // The stars of the reviews in the window, averaged: "gave us 2 stars or less lately" is an after-sales call.
        AGGREGATES.put("avg_rating", new AggregateEntry("avg_rating", ArgumentKind.NONE, List.of(), EVENT_FILTERS));
        AGGREGATES.put("points_expiring", new AggregateEntry("points_expiring", ArgumentKind.NONE, List.of(), List.of()));
        // The templates are the chain's own (Vocabulary.couponTemplates), so none are listed here.
        AGGREGATES.put("coupon_redeemed", new AggregateEntry("coupon_redeemed", ArgumentKind.COUPON_TEMPLATE, List.of(),
                List.of()));
    }

    private Catalogue() {}

    private static void metric(String name, Type type) {
        FIELDS.put(name, new FieldEntry(name, type, Group.METRIC, false, List.of()));
    }

    private static void profile(String name, Type type) {
        FIELDS.put(name, new FieldEntry(name, type, Group.PROFILE, false, List.of()));
    }

    private static void loyalty(String name, Type type) {
        FIELDS.put(name, new FieldEntry(name, type, Group.LOYALTY, false, List.of()));
    }

    private static void purchases(String name) {
        AGGREGATES.put(name, new AggregateEntry(name, ArgumentKind.NONE, List.of(), PURCHASE_FILTERS));
    }

    /** Built-in fields (metrics and profile), in the order the console lists them. */
    public static Collection<FieldEntry> fields() {
        return FIELDS.values();
    }

    public static Optional<FieldEntry> field(String name) {
        return Optional.ofNullable(FIELDS.get(name));
    }

    public static Collection<AggregateEntry> aggregates() {
        return AGGREGATES.values();
    }

    public static Optional<AggregateEntry> aggregate(String name) {
        return Optional.ofNullable(AGGREGATES.get(name));
    }

    public static boolean isCalendarPeriod(String name) {
        return CALENDAR_PERIODS.contains(name);
    }

    /** The names a rule can use as a bare field (built-in ones; custom fields come at run time). */
    public static Set<String> fieldNames() {
        return FIELDS.keySet();
    }
}
