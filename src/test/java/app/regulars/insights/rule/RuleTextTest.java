package app.regulars.insights.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleTextTest {

    private static final Span N = Span.NONE;

    @ParameterizedTest
    @ValueSource(strings = {
            "spent(90d) > 5000 and orders(90d) > 3",
            "days_since_last_purchase > 180",
            "coupon_redemption_rate > 0.8 and not tag(\"staff\")",
            "orders(365d, category = \"skincare\") >= 2 and birthday within 7d",
            "rfm_segment = \"At risk\" and home_store in (\"SH-01\", \"SH-02\")",
            "spent(last_month) < 0.5 * spent(prev_3_months) / 3",
            "orders(between(2025-01-01, 2025-03-31)) > 0",
            "spent(around(\"spring_festival\", 7d)) > 1000",
            "vip_level = \"A\"",
            "segment(\"高价值\") or city = \"上海\"",
            "distinct(category, 365d) >= 3",
            "events(\"page_view\", 30d, product = \"SKU-1\") > 2",
            "orders(90d, store not in (\"SH-01\", \"SH-02\"), coupon = true) = 0",
            "spent() > 100",
            "home_store not in (\"SH-01\")",
            "(spent(90d) + spent(last_year)) / 2 > 300",
            "spent(90d) - (orders(90d) - 1) > 0",
            "first_purchase_date >= 2025-01-01 and aov >= -5",
            "not (tag(\"staff\") or tag(\"test\"))",
            "a > 1 and (b > 2 or c > 3)",
    })
    void canonicalTextPrintsAsItReads(String text) {
        assertThat(RuleText.print(RuleText.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "SPENT(90d)>5000   AND orders(90d)>3|SPENT(90d) > 5000 and orders(90d) > 3",
            "home_store in ('x')|x",
            "orders(90d, store in (\"SH-01\")) > 0|orders(90d, store = \"SH-01\") > 0",
            "(a > 1)|a > 1",
            "a <> 1 or b == 2|a != 1 or b = 2",
            "城市 = “上海”|城市 = \"上海\"",
            "tag（\"vip\"）|tag(\"vip\")",
    })
    void looserTextPrintsCanonically(String typed, String canonical) {
        if (canonical.equals("x")) {
            assertThatThrownBy(() -> RuleText.parse(typed)).isInstanceOf(RuleSyntaxError.class);
            return;
        }
        assertThat(RuleText.print(RuleText.parse(typed))).isEqualTo(canonical);
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
        Rule rule = Unspanned.of(RuleText.parse("not tag(\"a\") and tag(\"b\") or tag(\"c\")"));
        assertThat(rule).isEqualTo(new Rule.Or(List.of(
                new Rule.And(List.of(new Rule.Not(new Rule.HasTag("a", N), N), new Rule.HasTag("b", N)), N),
                new Rule.HasTag("c", N)), N));
    }

    @Test
    void multiplicationBindsTighterThanSubtractionAndBothAreLeftAssociative() {
        Rule rule = Unspanned.of(RuleText.parse("a - b - c * d / e > 0"));
        Value a = new Value.Field("a", N);
        Value b = new Value.Field("b", N);
        Value cd = new Value.Arithmetic(new Value.Field("c", N), '*', new Value.Field("d", N), N);
        Value cde = new Value.Arithmetic(cd, '/', new Value.Field("e", N), N);
        Value expected = new Value.Arithmetic(new Value.Arithmetic(a, '-', b, N), '-', cde, N);
        assertThat(rule).isEqualTo(new Rule.Compare(expected, Rule.Operator.GT,
                new Value.NumberLiteral(BigDecimal.ZERO, N), N));
    }

    @Test
    void anAggregateReadsItsArgumentWindowAndFilters() {
        Rule rule = Unspanned.of(RuleText.parse(
                "orders(between(2025-01-01, 2025-03-31), category = \"skincare\", store != \"SH-01\", coupon = false) >= 2"));
        Value.Aggregate orders = (Value.Aggregate) ((Rule.Compare) rule).left();
        assertThat(orders.function()).isEqualTo("orders");
        assertThat(orders.argument()).isNull();
        assertThat(orders.window()).isEqualTo(new Window.Between(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31), N));
        assertThat(orders.filters()).containsExactly(
                new Value.Filter("category", false, List.of("skincare"), N),
                new Value.Filter("store", true, List.of("SH-01"), N),
                new Value.Filter("coupon", false, List.of("false"), N));

        Value.Aggregate distinct = (Value.Aggregate) ((Rule.Compare) Unspanned.of(RuleText.parse("distinct(month) > 3"))).left();
        assertThat(distinct.argument()).isEqualTo("month");
        assertThat(distinct.window()).isEqualTo(new Window.AllTime(N));

        Value.Aggregate around = (Value.Aggregate) ((Rule.Compare) Unspanned.of(
                RuleText.parse("spent(around(\"spring_festival\", 7d)) > 1000"))).left();
        assertThat(around.window()).isEqualTo(new Window.AroundHoliday("spring_festival", 7, N));
    }

    @Test
    void chineseTextInStringsKeepsItsCharacters() {
        Rule rule = RuleText.parse("segment(\"高价值\") and city in (\"上海\", \"杭州\") and x = \"引号\\\"里\"");
        assertThat(RuleText.print(rule)).isEqualTo("segment(\"高价值\") and city in (\"上海\", \"杭州\") and x = \"引号\\\"里\"");
        Rule.In in = (Rule.In) ((Rule.And) rule).parts().get(1);
        assertThat(in.values()).extracting(v -> ((Value.TextLiteral) v).value()).containsExactly("上海", "杭州");
    }

    @Test
    void nodesKnowTheirLineAndColumn() {
        Rule rule = RuleText.parse("tag(\"a\")\n  and spent(90d, store = \"SH-01\") > 5000");
        Rule.Compare c = (Rule.Compare) ((Rule.And) rule).parts().get(1);
        assertThat(c.span()).isEqualTo(new Span(2, 7, 34));
        Value.Aggregate spent = (Value.Aggregate) c.left();
        assertThat(spent.window().span()).isEqualTo(new Span(2, 13, 3));
        assertThat(spent.filters().getFirst().span()).isEqualTo(new Span(2, 18, 15));
        assertThat(c.right().span()).isEqualTo(new Span(2, 37, 4));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "orders(90d) > spent(90)|1|21|a window such as 90d or last_month, or a filter such as store = \"SH-01\"|'90' (days are written with a d: 90d)",
            "spent(90d, ) > 1|1|12|a window such as 90d or last_month, or a filter such as store = \"SH-01\"|')'",
            "spent(last_monht) > 1|1|7|a window such as 90d or last_month, or a filter such as store = \"SH-01\"|'last_monht' (did you mean last_month?)",
            "spent(90d) >|1|13|a value such as spent(90d), days_since_last_purchase, 5000 or \"text\"|the end of the rule",
            "spent(90d) 5000|1|12|a comparison (=, !=, <, <=, >, >=, in or within)|'5000'",
            "a > 1 and|1|10|a condition such as days_since_last_purchase > 180|the end of the rule",
            "a > 1 b > 2|1|7|and, or, or the end of the rule|'b'",
            "(a > 1 or b > 2|1|16|')' or and/or|the end of the rule",
            "tag(staff)|1|5|a tag name in quotes, such as \"staff\"|'staff'",
            "orders(between(2025-01-01, )) > 0|1|28|a last day such as 2025-03-31|')'",
            "first_purchase_date > 2025-02-30|1|23|a real date such as 2025-03-31|'2025-02-30'",
            "spent(90d, 30d) > 1|1|12|one window only (filters may follow it)|'30d'",
            "a = \"open|1|10|a closing quote \" for the text that starts at column 5|the end of the rule",
            "distinct(90d) > 1|1|10|what to count distinct values of: category, product, store, channel, month|'90d'",
            "spent(90d) > 1 within 7d|1|16|and, or, or the end of the rule|'within'",
            "|1|1|a condition such as days_since_last_purchase > 180|an empty rule",
    })
    void syntaxErrorsSayWhereAndWhatWasExpected(String text, int line, int column, String expected, String found) {
        assertThatThrownBy(() -> RuleText.parse(text))
                .isInstanceOfSatisfying(RuleSyntaxError.class, e -> {
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.getMessage()).isEqualTo("line " + line + ", column " + column + ": expected " + expected
                            + ", found " + found);
                });
    }

    @Test
    void commentsAndLineBreaksAreBlanksAndErrorsCountLines() {
        assertThat(RuleText.print(RuleText.parse("spent(90d) > 5000 # big spenders\n and orders(90d) > 3")))
                .isEqualTo("spent(90d) > 5000 and orders(90d) > 3");
        assertThatThrownBy(() -> RuleText.parse("spent(90d) > 5000 and\n  orders(90d) > $"))
                .hasMessage("line 2, column 17: expected a condition, a value or an operator, found '$'");
    }

    @Test
    void withinNeedsAFieldBeforeIt() {
        assertThatThrownBy(() -> RuleText.parse("spent(90d) within 7d"))
                .isInstanceOf(RuleSyntaxError.class)
                .hasMessage("line 1, column 1: expected a date field such as birthday before 'within', found a function spent(…)");
    }
}
