package app.regulars.insights.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleJsonTest {

    @Test
    void aRuleIsStoredAsAVersionedTreeOfNamedNodes() {
        Rule rule = RuleText.parse("spent(90d, category = \"skincare\") > 5000.50 and not tag(\"staff\")");
        assertThat(RuleJson.writeString(rule)).isEqualTo("""
                {"version":1,"rule":{"type":"and","parts":[\
                {"type":"compare","left":{"type":"aggregate","function":"spent","window":{"type":"rolling","days":90},\
                "filters":[{"dimension":"category","negated":false,"values":["skincare"]}]},"operator":">",\
                "right":{"type":"number","value":5000.50}},\
                {"type":"not","part":{"type":"tag","name":"staff"}}]}}""");
    }

    @Test
    void everyWindowKindHasItsNode() {
        String json = RuleJson.writeString(RuleText.parse(
                "spent(last_month) < spent(between(2025-01-01, 2025-03-31)) + spent(around(\"spring_festival\", 7d)) + spent()"));
        assertThat(json).contains("{\"type\":\"calendar\",\"period\":\"last_month\"}")
                .contains("{\"type\":\"between\",\"from\":\"2025-01-01\",\"to\":\"2025-03-31\"}")
                .contains("{\"type\":\"around\",\"holiday\":\"spring_festival\",\"days\":7}")
                .contains("{\"type\":\"aggregate\",\"function\":\"spent\",\"filters\":[]}");
        assertThat(RuleText.print(RuleJson.read(json))).isEqualTo(
                "spent(last_month) < spent(between(2025-01-01, 2025-03-31)) + spent(around(\"spring_festival\", 7d)) + spent()");
    }

    @Test
    void numbersStayExact() {
        Rule rule = RuleJson.read("""
                {"version":1,"rule":{"type":"compare","left":{"type":"field","name":"coupon_redemption_rate"},
                 "operator":">","right":{"type":"number","value":0.1000000000000000055511151231257827}}}""");
        assertThat(RuleText.print(rule)).isEqualTo("coupon_redemption_rate > 0.1000000000000000055511151231257827");
    }

    @Test
    void anUnknownVersionIsRefusedClearly() {
        assertThatThrownBy(() -> RuleJson.read("{\"version\": 2, \"rule\": {\"type\": \"tag\", \"name\": \"x\"}}"))
                .isInstanceOf(RuleError.class)
                .hasMessage("version: rule format version 2 is not supported; this version of Regulars reads version 1");
        assertThatThrownBy(() -> RuleJson.read("{\"rule\": {\"type\": \"tag\", \"name\": \"x\"}}"))
                .hasMessage("version: missing: this reader knows version 1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"version\":1,\"rule\":{\"type\":\"and\",\"parts\":[]}}|rule.parts: a group needs a list of at least one condition",
            "{\"version\":1,\"rule\":{\"type\":\"all\",\"parts\":[]}}|rule.type: unknown condition \"all\"; expected and, or, not, compare, in, tag, segment or within",
            "{\"version\":1,\"rule\":{\"type\":\"compare\",\"left\":{\"type\":\"field\",\"name\":\"aov\"},\"operator\":\"=>\",\"right\":{\"type\":\"number\",\"value\":1}}}|rule.operator: expected one of =, !=, <, <=, >, >=, found \"=>\"",
            "{\"version\":1,\"rule\":{\"type\":\"compare\",\"left\":{\"type\":\"field\",\"name\":\"vip level\"},\"operator\":\"=\",\"right\":{\"type\":\"text\",\"value\":\"A\"}}}|rule.left.name: expected a name of letters, digits and _ (not a keyword), found \"vip level\"",
            "{\"version\":1,\"rule\":{\"type\":\"compare\",\"left\":{\"type\":\"aggregate\",\"function\":\"spent\",\"window\":{\"type\":\"calendar\",\"period\":\"last_quarter\"}},\"operator\":\">\",\"right\":{\"type\":\"number\",\"value\":1}}}|rule.left.window.period: expected one of this_week, last_week, this_month, last_month, prev_3_months, this_year, last_year, found \"last_quarter\"",
            "{\"version\":1,\"rule\":{\"type\":\"tag\",\"name\":\"x\",\"colour\":\"red\"}}|rule.colour: unknown property",
            "{\"version\":1,\"rule\":{\"type\":\"within\",\"field\":\"birthday\",\"days\":-1}}|rule.days: expected a whole number of days from 0 to 99999",
            "{\"version\":1,|malformed JSON at line 1, column 14",
    })
    void malformedDocumentsNameThePathOfTheProblem(String json, String message) {
        assertThatThrownBy(() -> RuleJson.read(json)).isInstanceOf(RuleError.class).hasMessage(message);
    }
}
