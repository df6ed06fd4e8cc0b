package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.Memberships;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleChecker;
import app.regulars.insights.rule.RuleText;
import app.regulars.insights.rule.Vocabulary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holiday windows over the calendar as the catalog writes it: hyphenated codes ({@code spring-festival},
 * see {@code ChineseFestivals}). The rule language treats {@code _} and {@code -} alike
 * (docs/rule-language.md), so both spellings must parse, type-check and find the same customers in the
 * engine and the oracle. Today is 2026-06-15 in Shanghai; the latest spring festival was 2026-02-17.
 * Customer 1 bought on 2026-02-15 (in its ±7 days), 2 on 2026-03-10 (outside), 3 on 2025-11-12 (around
 * double 11, a code with a digit after the hyphen).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HolidayWindowsTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");
    private static final Vocabulary CALENDAR = new Vocabulary(Map.of(), Set.of(), Set.of(), Set.of(),
            Set.of("spring-festival", "double-11"));

    private CheckedEngine checked;
    private SqlOracle oracle;

    @BeforeAll
    void chain() {
        DataSource dataSource = PrivateDatabase.fresh();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        jdbc.update("insert into holiday (code, name_zh, name_en, date, kind) values "
                + "('spring-festival', '春节', 'Spring Festival', '2025-01-29', 'lunar'), "
                + "('spring-festival', '春节', 'Spring Festival', '2026-02-17', 'lunar'), "
                + "('double-11', '双十一', 'Double 11', '2025-11-11', 'shopping')");
        jdbc.update("""
                insert into customer (id, registered_at, updated_at) values
                (1, '2025-01-01T10:00:00+08:00', now()), (2, '2025-01-01T10:00:00+08:00', now()),
                (3, '2025-01-01T10:00:00+08:00', now())""");
        Sales.oneLine(jdbc, 1, 1, "2026-02-15T10:00:00+08:00", 1000);
        Sales.oneLine(jdbc, 2, 2, "2026-03-10T10:00:00+08:00", 1000);
        Sales.oneLine(jdbc, 3, 3, "2025-11-12T10:00:00+08:00", 1000);
        checked = new CheckedEngine(dataSource, NOW);
        oracle = checked.oracle;
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    private List<Long> engineFinds(Rule rule) {
        return checked.engineFinds(rule).stream().sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders(around(\"spring-festival\", 7d)) >= 1", "orders(around(\"spring_festival\", 7d)) >= 1",
            "spent(around(\"spring-festival\", 7d)) > 5 and orders() = 1"})
    void aRuleAroundTheSpringFestivalFindsTheCustomerWhoBoughtThatWeek(String text) {
        Rule rule = RuleText.parse(text);
        assertThat(RuleText.print(RuleText.parse(RuleText.print(rule)))).isEqualTo(text);
        assertThat(RuleChecker.check(rule, CALENDAR)).isNotNull();

        assertThat(engineFinds(rule)).as("the engine").containsExactly(1L);
        assertThat(oracle.customers(rule, Memberships.NONE, NOW)).as("the oracle").containsExactly(1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders(around(\"double-11\", 3d)) >= 1", "orders(around(\"double_11\", 3d)) >= 1"})
    void aRuleAroundDouble11FindsTheCustomerWhoBoughtTheDayAfter(String text) {
        Rule rule = RuleText.parse(text);
        assertThat(RuleChecker.check(rule, CALENDAR)).isNotNull();

        assertThat(engineFinds(rule)).as("the engine").containsExactly(3L);
        assertThat(oracle.customers(rule, Memberships.NONE, NOW)).as("the oracle").containsExactly(3L);
    }
}
