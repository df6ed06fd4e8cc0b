package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.Memberships;
import app.regulars.insights.rule.Rule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The engine over a test's own database at a fixed moment, built and ready, with its SQL oracle: every
 * answer {@link #matches} gives has been checked equal to the oracle's.
 */
final class CheckedEngine {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    final IndexedRuleEngine engine;
    final SqlOracle oracle;
    private final Instant now;

    CheckedEngine(DataSource dataSource, Instant now) {
        this.now = now;
        engine = new IndexedRuleEngine(dataSource, SHANGHAI, Clock.fixed(now, ZoneOffset.UTC));
        engine.start();
        engine.index();
        oracle = new SqlOracle(new JdbcTemplate(dataSource), SHANGHAI, engine::customerIdOf);
    }

    /** The customers the rule matches, in the engine's order, after checking the oracle finds the same. */
    List<Long> matches(Rule rule) {
        List<Long> ids = engineFinds(rule);
        assertThat(oracle.customers(rule, Memberships.NONE, now)).as("the oracle agrees on %s", rule)
                .isEqualTo(ids.stream().sorted().toList());
        return ids;
    }

    /** The customers the engine alone finds, in ordinal order, for a test that looks at each side apart. */
    List<Long> engineFinds(Rule rule) {
        List<Long> ids = new ArrayList<>();
        engine.evaluate(rule, Memberships.NONE).ordinals().forEach((int o) -> ids.add(engine.customerIdOf(o)));
        return ids;
    }

    void stop() {
        engine.stop();
    }
}
