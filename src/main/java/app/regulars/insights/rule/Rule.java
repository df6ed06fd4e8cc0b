package app.regulars.insights.rule;

import java.util.List;

/**
 * A segment rule: the one abstract syntax tree behind the text form people type
 * ({@code spent(90d) > 5000 and orders(90d) > 3}), the no-code builder and the stored JSON. A rule is
 * a condition over one customer; the engine evaluates it over its index and the SQL oracle compiles
 * it to plain SQL, and the two must agree.
 *
 * <p>Nodes carry the {@link Span} of the text they came from (or {@link Span#NONE} when built by the
 * builder or read from JSON) so that type errors can point at line and column.
 */
public sealed interface Rule {

    Span span();

    /** All of the parts hold. */
    record And(List<Rule> parts, Span span) implements Rule {}

    /** At least one of the parts holds. */
    record Or(List<Rule> parts, Span span) implements Rule {}

    /** The part does not hold. */
    record Not(Rule part, Span span) implements Rule {}

    /** {@code left op right}, e.g. {@code spent(90d) > 5000}, {@code rfm_segment = "At risk"}. */
    record Compare(Value left, Operator operator, Value right, Span span) implements Rule {}

    /** {@code left in (v1, v2, …)}, e.g. {@code home_store in ("SH-01", "SH-02")}. */
    record In(Value left, List<Value.Literal> values, Span span) implements Rule {}

    /** {@code tag("staff")}: the customer carries the tag (manual or automatic). */
    record HasTag(String tag, Span span) implements Rule {}

    /** {@code segment("high value")}: the customer is a member of another saved segment. */
    record InSegment(String segment, Span span) implements Rule {}

    /**
     * {@code birthday within 7d}: the date-valued field's next anniversary (birthday) or the field's
     * date itself falls within the next {@code days} days, today included, in the store's timezone.
     */
    record Within(Value.Field field, int days, Span span) implements Rule {}

    enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }
}
