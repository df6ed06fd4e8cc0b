package app.regulars.insights.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.insights.rule.RuleMessage.Code;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every problem of a rule can be said in Chinese and in English, from one pattern per language. */
class RuleMessagesTest {

    private static final Path I18N = Path.of("src/main/resources/i18n");
    /** The prefixes of the rule problems' keys; anything under them must be a code. */
    private static final List<String> PREFIXES = List.of("rule.problem.", "rule.expect.", "rule.found.", "rule.type.",
            "rule.list", "rule.quoted");
    /** More arguments than any pattern takes. */
    private static final int ARGS = 6;

    @Test
    void everyCodeIsWordedInChineseAndInEnglish() throws IOException {
        Properties zh = load("insights_zh_CN.properties");
        Properties en = load("insights_en.properties");
        Properties base = load("insights.properties");
        for (Code code : Code.values()) {
            String key = code.key();
            assertThat(zh.getProperty(key)).as("zh_CN %s (%s)", key, code).isNotBlank();
            assertThat(en.getProperty(key)).as("en %s (%s)", key, code).isNotBlank();
            assertThat(base.getProperty(key)).as("the default bundle says %s as English does", key)
                    .isEqualTo(en.getProperty(key));
            assertThat(arguments(zh.getProperty(key))).as("arguments %s uses in Chinese and in English", key)
                    .isEqualTo(arguments(en.getProperty(key)));
        }
    }

    @Test
    void everyRuleMessageInTheBundlesHasACode() throws IOException {
        Set<String> codes = Arrays.stream(Code.values()).map(Code::key).collect(Collectors.toSet());
        for (String bundle : List.of("insights_zh_CN.properties", "insights_en.properties")) {
            Set<String> orphans = load(bundle).stringPropertyNames().stream()
                    .filter(k -> PREFIXES.stream().anyMatch(k::startsWith) && !codes.contains(k))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(orphans).as("rule messages of %s that no code says", bundle).isEmpty();
        }
    }

    @Test
    void aBadRuleIsExplainedInChineseWithItsLineAndColumn() throws IOException {
        Properties zh = load("insights_zh_CN.properties");
        assertThatThrownBy(() -> RuleText.parse("orders(90d) > 3 and\nspent(90d) foo"))
                .isInstanceOfSatisfying(RuleSyntaxError.class, e -> {
                    RuleError.Problem problem = e.problems().getFirst();
                    assertThat(problem.message().code()).isEqualTo(Code.EXPECTED_FOUND);
                    assertThat(problem.located().in(zh::getProperty))
                            .isEqualTo("第 2 行第 12 列：应为比较符（=、!=、<、<=、>、>=、in 或 within），却是 “foo”");
                    assertThat(problem.describe())
                            .isEqualTo("line 2, column 12: expected a comparison (=, !=, <, <=, >, >=, in or within), found 'foo'");
                });
    }

    @Test
    void theEndOfTheRuleAndAMisspeltWindowAreSaidInChinese() throws IOException {
        Properties zh = load("insights_zh_CN.properties");
        assertThat(firstProblem("spent(90d) >").in(zh::getProperty))
                .isEqualTo("应为值（如 spent(90d)、days_since_last_purchase、5000 或 \"文字\"），但规则已经结束");
        assertThat(firstProblem("spent(last_monht) > 1").in(zh::getProperty))
                .isEqualTo("应为时间范围（如 90d、last_month）或筛选条件（如 store = \"SH-01\"），却是 “last_monht”（是不是想写 last_month？）");
        assertThat(firstProblem("").in(zh::getProperty))
                .isEqualTo("规则是空的：请写一个条件（如 days_since_last_purchase > 180）");
    }

    @Test
    void listsAreJoinedAndQuotedTheReadersWay() throws IOException {
        Properties zh = load("insights_zh_CN.properties");
        Vocabulary tiers = new Vocabulary(Map.of(), Set.of(), Set.of(), Set.of(), Set.of(), List.of("basic", "silver", "gold"),
                Set.of());
        assertThatThrownBy(() -> RuleChecker.check(RuleText.parse("tier = \"glod\""), tiers))
                .isInstanceOfSatisfying(RuleTypeError.class, e -> {
                    RuleMessage says = e.problems().getFirst().message();
                    assertThat(says.in(zh::getProperty))
                            .isEqualTo("tier 只能是 “basic”、“silver”、“gold”；是不是想写“gold”？");
                    assertThat(says.english()).isEqualTo("`tier` is one of \"basic\", \"silver\", \"gold\"; did you mean \"gold\"?");
                });
    }

    @Test
    void typesAndNamesStayInTheRuleLanguageInsideAChineseSentence() throws IOException {
        Properties zh = load("insights_zh_CN.properties");
        assertThat(checkerProblem("aov > \"100\"").in(zh::getProperty)).isEqualTo("无法比较数字和文字（aov 是数字，不要加引号）");
        assertThat(checkerProblem("spnt(90d) > 1").in(zh::getProperty)).isEqualTo("没有 spnt 这个函数，是不是想写 spent？");
        assertThat(checkerProblem("city > \"A\"").in(zh::getProperty)).isEqualTo("文字只能用 = 或 != 比较（或用 in (…)），不能用 >");
    }

    private static RuleMessage firstProblem(String text) {
        try {
            RuleText.parse(text);
        } catch (RuleSyntaxError e) {
            return e.problems().getFirst().message();
        }
        throw new AssertionError("parsed: " + text);
    }

    private static RuleMessage checkerProblem(String text) {
        try {
            RuleChecker.check(RuleText.parse(text), Vocabulary.CATALOGUE_ONLY);
        } catch (RuleTypeError e) {
            return e.problems().getFirst().message();
        }
        throw new AssertionError("checked: " + text);
    }

    /** Which arguments a pattern shows: formatted with a marker for each, the markers that come out. */
    private static Set<Integer> arguments(String pattern) {
        String shown = new MessageFormat(pattern).format(IntStream.range(0, ARGS).mapToObj(i -> "«" + i + "»").toArray());
        return IntStream.range(0, ARGS).filter(i -> shown.contains("«" + i + "»")).boxed()
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Properties load(String bundle) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(I18N.resolve(bundle), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
