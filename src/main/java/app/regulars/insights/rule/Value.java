package app.regulars.insights.rule;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Something a rule compares: a literal, a customer field, a windowed aggregate or arithmetic on them. */
public sealed interface Value {

    Span span();

    /** A number, text, date or boolean written in the rule. */
    sealed interface Literal extends Value {}

    record NumberLiteral(BigDecimal value, Span span) implements Literal {}

    record TextLiteral(String value, Span span) implements Literal {}

    record DateLiteral(LocalDate value, Span span) implements Literal {}

    record BooleanLiteral(boolean value, Span span) implements Literal {}

    /**
     * A per-customer fact by name: a metric ({@code days_since_last_purchase}, {@code aov},
     * {@code coupon_redemption_rate}, {@code rfm_segment}, …), a profile field ({@code gender},
     * {@code home_store}, {@code birthday}, …) or a custom field by its key.
     */
    record Field(String name, Span span) implements Value {}

    /**
     * A windowed aggregate over the customer's purchases or interactions:
     * {@code orders(90d, category = "skincare")}, {@code spent(last_month)},
     * {@code distinct(category, 365d)}, {@code events("page_view", 30d)}.
     *
     * @param function  the aggregate's name from the rule catalogue (orders, spent, avg_spent, …)
     * @param argument  the function's own first argument when it has one (the dimension of
     *                  {@code distinct}, the interaction type of {@code events}), else null
     * @param window    the period it covers
     * @param filters   restrictions of the rows it aggregates, all of which must hold
     */
    record Aggregate(String function, String argument, Window window, List<Filter> filters, Span span)
            implements Value {}

    /** {@code left op right} with op one of + - * /; division by zero gives no value (the comparison is false). */
    record Arithmetic(Value left, char operator, Value right, Span span) implements Value {}

    /** A restriction of an aggregate's rows: {@code category = "skincare"}, {@code store in ("SH-01")}. */
    record Filter(String dimension, boolean negated, List<String> values, Span span) {}
}
