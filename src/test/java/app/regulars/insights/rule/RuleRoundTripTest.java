package app.regulars.insights.rule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random rules print and read back as the same tree, and go through JSON and back unchanged: the
 * builder, the text mode and the stored form can never disagree about a rule.
 */
class RuleRoundTripTest {

    private static final Span N = Span.NONE;

    @Property(tries = 400, seed = "20261122")
    void aPrintedRuleParsesBackToTheSameTree(@ForAll("rules") Rule rule) {
        String text = RuleText.print(rule);
        assertThat(Unspanned.of(RuleText.parse(text))).as(text).isEqualTo(rule);
        assertThat(RuleText.print(RuleText.parse(text))).isEqualTo(text);
    }

    @Property(tries = 400, seed = "20261122")
    void aRuleGoesThroughJsonAndBackUnchanged(@ForAll("rules") Rule rule) {
        String json = RuleJson.writeString(rule);
        Rule read = RuleJson.read(json);
        assertThat(Unspanned.of(read)).as(json).isEqualTo(rule);
        JsonNode again = RuleJson.write(read);
        assertThat(again).isEqualTo(RuleJson.write(rule));
    }

    @Provide
    Arbitrary<Rule> rules() {
        return rule(3);
    }

    private Arbitrary<Rule> rule(int depth) {
        List<Arbitrary<Rule>> leaves = List.of(
                Combinators.combine(value(2), Arbitraries.of(Rule.Operator.class), value(2))
                        .as((l, op, r) -> (Rule) new Rule.Compare(l, op, r, N)),
                Combinators.combine(value(1), literal().list().ofMinSize(1).ofMaxSize(3))
                        .as((l, vs) -> (Rule) new Rule.In(l, vs, N)),
                text().map(t -> (Rule) new Rule.HasTag(t, N)),
                text().map(t -> (Rule) new Rule.InSegment(t, N)),
                Combinators.combine(name(), Arbitraries.integers().between(0, 400))
                        .as((f, d) -> (Rule) new Rule.Within(new Value.Field(f, N), d, N)));
        Arbitrary<Rule> leaf = Arbitraries.oneOf(leaves);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Rule> inner = Arbitraries.lazy(() -> rule(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf),
                net.jqwik.api.Tuple.of(2, inner.list().ofMinSize(2).ofMaxSize(3).map(ps -> (Rule) new Rule.And(ps, N))),
                net.jqwik.api.Tuple.of(2, inner.list().ofMinSize(2).ofMaxSize(3).map(ps -> (Rule) new Rule.Or(ps, N))),
                net.jqwik.api.Tuple.of(1, inner.map(p -> (Rule) new Rule.Not(p, N))));
    }

    private Arbitrary<Value> value(int depth) {
        Arbitrary<Value> leaf = Arbitraries.oneOf(
                literal().map(l -> (Value) l),
                name().map(n -> (Value) new Value.Field(n, N)),
                aggregate());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Value> arithmetic = Combinators.combine(Arbitraries.lazy(() -> value(depth - 1)),
                        Arbitraries.of('+', '-', '*', '/'), Arbitraries.lazy(() -> value(depth - 1)))
                .as((l, op, r) -> (Value) new Value.Arithmetic(l, op, r, N));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(2, arithmetic));
    }

    private Arbitrary<Value.Literal> literal() {
        Arbitrary<Value.Literal> number = Combinators.combine(Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L),
                        Arbitraries.integers().between(0, 3))
                .as((unscaled, scale) -> new Value.NumberLiteral(BigDecimal.valueOf(unscaled, scale), N));
        Arbitrary<Value.Literal> date = Arbitraries.integers().between(0, 365 * 200)
                .map(d -> new Value.DateLiteral(LocalDate.of(1900, 1, 1).plusDays(d), N));
        return Arbitraries.oneOf(number, text().map(t -> new Value.TextLiteral(t, N)), date,
                Arbitraries.of(true, false).map(b -> new Value.BooleanLiteral(b, N)));
    }

    private Arbitrary<Value> aggregate() {
        Arbitrary<String> function = Arbitraries.oneOf(
                Arbitraries.of(Catalogue.aggregates().stream().map(Catalogue.AggregateEntry::name).toList()), name());
        return function.flatMap(f -> Combinators.combine(argument(f), window(), filter().list().ofMaxSize(3))
                .as((arg, w, fs) -> new Value.Aggregate(f, arg, w, fs, N)));
    }

    /** distinct, events and coupon_redeemed always have their argument (the text cannot say "missing" there). */
    private Arbitrary<String> argument(String function) {
        return switch (function) {
            case "distinct" -> Arbitraries.oneOf(Arbitraries.of(Catalogue.DISTINCT_DIMENSIONS), name(), text());
            case "events" -> Arbitraries.oneOf(Arbitraries.of(Catalogue.EVENT_TYPES), text());
            case "coupon_redeemed" -> text();
            default -> Arbitraries.oneOf(Arbitraries.just(null), text());
        };
    }

    private Arbitrary<Window> window() {
        Arbitrary<LocalDate> day = Arbitraries.integers().between(0, 365 * 200).map(d -> LocalDate.of(1900, 1, 1).plusDays(d));
        return Arbitraries.oneOf(
                Arbitraries.just(new Window.AllTime(N)),
                Arbitraries.integers().between(1, 3650).map(d -> new Window.Rolling(d, N)),
                Arbitraries.of(Catalogue.CALENDAR_PERIODS).map(p -> new Window.Calendar(p, N)),
                Combinators.combine(day, day).as((a, b) -> new Window.Between(a, b, N)),
                Combinators.combine(text(), Arbitraries.integers().between(0, 60)).as((h, d) -> new Window.AroundHoliday(h, d, N)));
    }

    private Arbitrary<Value.Filter> filter() {
        Arbitrary<String> dimension = Arbitraries.oneOf(Arbitraries.of(Catalogue.PURCHASE_FILTERS), name(),
                Arbitraries.of(Catalogue.CALENDAR_PERIODS), Arbitraries.of("between", "around"));
        Arbitrary<String> value = Arbitraries.oneOf(text(), Arbitraries.of("true", "false"));
        return Combinators.combine(dimension, Arbitraries.of(true, false), value.list().ofMinSize(1).ofMaxSize(3))
                .as((d, neg, vs) -> new Value.Filter(d, neg, new ArrayList<>(vs), N));
    }

    /** Field and function names: the catalogue's, and made-up identifiers (custom fields, typos). */
    private Arbitrary<String> name() {
        Arbitrary<String> made = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '1', '9')
                .ofMinLength(1).ofMaxLength(10)
                .filter(s -> Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')
                .filter(RuleText::isIdentifier);
        return Arbitraries.oneOf(Arbitraries.of(List.copyOf(Catalogue.fieldNames())), made,
                Arbitraries.of("tag", "segment", "between", "around", "last_month"));
    }

    /** Any text: Chinese, quotes, backslashes, tabs and line breaks included. */
    private Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.of("At risk", "SH-01", "高价值", "上海", "spring_festival", ""),
                Arbitraries.strings().withChars("ab 高价值\"\\\n\t,()#“”-").ofMaxLength(8));
    }
}
