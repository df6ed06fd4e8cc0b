package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.regulars.insights.rule.RuleChecker;
import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.RuleMessage.Code;
import app.regulars.insights.rule.RuleText;
import app.regulars.insights.rule.RuleTypeError;
import app.regulars.insights.rule.Vocabulary;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A saved rule's problem is said in the reader's language: what the check finds, else what the last
 * evaluation recorded; only a problem recorded before it had a code is said in its recorded English.
 */
class RuleProblemTest {

    @Test
    void everyProblemTheCheckFindsIsSaidWhereItIsJoinedTheReadersWay() throws IOException {
        RuleTypeError e = catchThrowableOfType(RuleTypeError.class, () -> RuleChecker.check(
                RuleText.parse("vip_levl = \"A\" and spnt(90d) > 1"), Vocabulary.CATALOGUE_ONLY));
        RuleProblem problem = new RuleProblem(e.problems(), RuleMessage.of(Code.NO_FIELD, "gone"),
                "no field named \"gone\"");

        assertThat(problem.message().orElseThrow().in(zh()::getProperty))
                .isEqualTo("第 1 行第 1 列：没有 vip_levl 这个字段；第 1 行第 20 列：没有 spnt 这个函数，是不是想写 spent？");
        // The API's English is as it was before problems had codes: each described, joined with "; ".
        assertThat(problem.english()).isEqualTo(
                e.problems().stream().map(RuleError.Problem::describe).collect(Collectors.joining("; ")));
    }

    @Test
    void whatOnlyTheEvaluationSawIsSaidInTheReadersLanguageAndTheApisEnglishIsAsRecorded() throws IOException {
        RuleMessage recorded = RuleMessage.of(Code.NO_FIELD, "vip_level");
        RuleProblem problem = new RuleProblem(List.of(), recorded, recorded.english());

        assertThat(problem.message().orElseThrow().in(zh()::getProperty)).isEqualTo("没有 vip_level 这个字段");
        assertThat(problem.english()).isEqualTo("no field named \"vip_level\"");
    }

    @Test
    void aProblemRecordedBeforeItHadACodeIsSaidInItsRecordedEnglish() {
        RuleProblem problem = new RuleProblem(List.of(), null, "no interaction type \"visit\"");
        assertThat(problem.message()).isEmpty();
        assertThat(problem.english()).isEqualTo("no interaction type \"visit\"");
    }

    @Test
    void aStoredMessageReadsBackWithItsNestedMessagesAndLists() {
        RuleMessage message = RuleMessage.of(Code.AT, "2", "13", RuleMessage.of(Code.ONE_OF_MISSPELT, "tier",
                RuleMessage.quoted(List.of("银卡", "金卡")), "金卡"));
        RuleMessage listed = RuleMessage.of(Code.WRONG_EVENT_TYPE, "events", RuleMessage.names(List.of("visit", "share")),
                "visti");

        assertThat(StoredMessages.read(StoredMessages.write(message))).isEqualTo(message);
        assertThat(StoredMessages.read(StoredMessages.write(listed))).isEqualTo(listed);
    }

    @Test
    void aStoredMessageWhoseCodeIsGoneIsNotReadSoItsEnglishIsSaid() {
        assertThat(StoredMessages.read("{\"code\":\"rule.problem.noSuchCode\",\"args\":[]}")).isNull();
        assertThat(StoredMessages.read("not json")).isNull();
        assertThat(StoredMessages.read(null)).isNull();
    }

    private static Properties zh() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources/i18n/insights_zh_CN.properties"),
                StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
