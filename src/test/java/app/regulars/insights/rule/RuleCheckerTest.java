package app.regulars.insights.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleCheckerTest {

    private static final Vocabulary CHAIN = new Vocabulary(
            Map.of("vip_level", new Vocabulary.CustomField("vip_level", Type.TEXT, List.of("A", "B", "C")),
                    "shoe_size", new Vocabulary.CustomField("shoe_size", Type.NUMBER, List.of()),
                    "wedding_day", new Vocabulary.CustomField("wedding_day", Type.DATE, List.of())),
            Set.of("skin_type"), Set.of("staff", "vip"), Set.of("high value", "sleeping"),
            Set.of("spring-festival", "double-11"), List.of("basic", "silver", "gold"), Set.of("满300减50", "生日券"));

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
            "vip_level = \"A\" and shoe_size >= 40 and wedding_day within 30d",
            "segment(\"high value\") and distinct(category, 365d) >= 3 and events(\"page_view\", 30d, store = \"SH-01\") > 0",
            "last_purchase_date < 2025-06-01 and gender in (\"female\", \"other\") and orders(90d, coupon = true) = 0",
            "tier = \"gold\" and points_balance > 1000 and points_expiring(30d) > 0",
            "coupons_unused = 0 and coupon_redeemed(\"满300减50\", 90d) >= 1 and points_expiring(this_month) > 100",
            "events(\"share\", 30d) >= 3",
    })
    void rulesOfTheCatalogueCheck(String text) {
        RuleChecker.Checked checked = RuleChecker.check(RuleText.parse(text), CHAIN);
        assertThat(checked.text()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "spent > 5000|line 1, column 1: `spent` needs a window: write spent(90d), spent(last_month) or spent() for all time",
            "vip_levl = \"A\"|line 1, column 1: unknown field `vip_levl` — did you mean `vip_level`?",
            "orders(90d) > \"3\"|line 1, column 15: cannot compare number with text",
            "city = 3|line 1, column 8: cannot compare text with number",
            "aov > \"100\"|line 1, column 7: cannot compare number with text (`aov` is a number; write it without quotes)",
            "skin_type = \"油性\"|line 1, column 1: custom field `skin_type` was deleted; change or remove this condition",
            "tag(\"stafff\")|line 1, column 1: unknown tag \"stafff\" — did you mean \"staff\"?",
            "segment(\"hihg value\")|line 1, column 1: unknown segment \"hihg value\" — did you mean \"high value\"?",
            "rfm_segment = \"At rsk\"|line 1, column 15: `rfm_segment` is one of \"Champions\", \"Loyal\", \"Potential loyalist\", \"New\", \"Promising\", \"Need attention\", \"About to sleep\", \"At risk\", \"Can't lose them\", \"Hibernating\", \"Lost\"; did you mean \"At risk\"?",
            "birthday > 2025-01-01|line 1, column 1: `birthday` can only be used as birthday within 7d (the year is not kept; for the month use birth_month)",
            "aov within 7d|line 1, column 1: within needs a date field such as birthday; `aov` is a number",
            "distinct(catgory, 90d) > 1|line 1, column 1: `distinct` needs what to count distinct values of: one of category, product, store, channel, month, not \"catgory\"; did you mean \"category\"?",
            "events(\"visit\", 30d, category = \"x\") > 1|line 1, column 22: `events` can be filtered by store, product, not by category",
            "orders(90d, colour = \"red\") > 1|line 1, column 13: unknown filter `colour`; filters are store, category, product, channel, payment, coupon",
            "orders(90d, coupon = \"yes\") > 1|line 1, column 13: coupon is true (a coupon was used) or false",
            "orders(0d) > 1|line 1, column 8: a window covers at least one day: 1d or more",
            "tier = \"glod\"|line 1, column 8: `tier` is one of \"basic\", \"silver\", \"gold\"; did you mean \"gold\"?",
            "points_expiring(last_month) > 0|line 1, column 17: points_expiring looks ahead: write points_expiring(30d) for the next 30 days, or this_week, this_month, this_year, between(…)",
            "coupon_redeemed(\"满300减5\", 90d) > 0|line 1, column 1: unknown coupon template \"满300减5\" — did you mean \"满300减50\"?",
            "points_balance(30d) > 0|line 1, column 1: `points_balance` is a field, not a function: write it without (…)",
            "orders(between(2025-03-31, 2025-01-01)) > 1|line 1, column 8: between needs the first day before the last: 2025-01-01 is before 2025-03-31",
            "spent(around(\"national_day\", 7d)) > 1|line 1, column 7: unknown holiday \"national_day\"",
            "spnt(90d) > 1|line 1, column 1: unknown function `spnt` — did you mean `spent`?",
            "monetary(90d) > 1|line 1, column 1: `monetary` is a field, not a function: write it without (…)",
            "city > \"A\"|line 1, column 1: text can only be compared with = or != (or in (…)), not >",
            "spent(90d) / city > 1|line 1, column 14: calculations need numbers; this is text",
            "1 = 1|line 1, column 1: compares two fixed values: one side must be about the customer (a field or a function)",
            "orders(\"x\", 90d) > 1|line 1, column 1: `orders` takes no argument before its window",
    })
    void problemsSayWhereAndWhatWasExpected(String text, String message) {
        assertThatThrownBy(() -> RuleChecker.check(RuleText.parse(text), CHAIN))
                .isInstanceOf(RuleTypeError.class)
                .hasMessage(message);
    }

    @Test
    void aChainWithoutCouponTemplatesIsToldSoNotGivenARuleThatIsAlwaysFalse() {
        Vocabulary none = new Vocabulary(Map.of(), Set.of(), Set.of(), Set.of(), Set.of(), List.of(), Set.of());
        assertThatThrownBy(() -> RuleChecker.check(RuleText.parse("coupon_redeemed(\"生日券\", 90d) > 0"), none))
                .isInstanceOf(RuleTypeError.class)
                .hasMessage("line 1, column 1: unknown coupon template \"生日券\"");
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        assertThatThrownBy(() -> RuleChecker.check(RuleText.parse("vip_levl = \"A\" and\n  orders(90d) > \"3\""), CHAIN))
                .isInstanceOfSatisfying(RuleTypeError.class, e -> assertThat(e.problems())
                        .extracting(RuleError.Problem::describe)
                        .containsExactly("line 1, column 1: unknown field `vip_levl` — did you mean `vip_level`?",
                                "line 2, column 17: cannot compare number with text"));
    }

    @Test
    void aRuleFromJsonIsCheckedInItsCanonicalText() {
        Rule fromJson = RuleJson.read(RuleJson.writeString(RuleText.parse("tag(\"vip\") and   city = 3")));
        assertThatThrownBy(() -> RuleChecker.check(fromJson, CHAIN))
                .hasMessage("line 1, column 23: cannot compare text with number");
    }

    @Test
    void referencesListTheSegmentsTagsAndFieldsARuleNames() {
        RuleChecker.References refs = RuleChecker.references(RuleText.parse(
                "segment(\"a\") and (tag(\"t\") or not segment(\"b\")) and vip_level = \"A\" and birthday within 3d"));
        assertThat(refs.segments()).containsExactlyInAnyOrder("a", "b");
        assertThat(refs.tags()).containsExactly("t");
        assertThat(refs.fields()).containsExactlyInAnyOrder("vip_level", "birthday");
    }
}
