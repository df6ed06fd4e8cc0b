package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.rule.RuleText;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A customer's tenure counts from when they joined: registered or first bought, whichever came first.
 * Customer 1 was registered when the chain connected its tills (2026-06-10) and has a receipt of
 * January from the history imported after; customer 2 registered before buying; customer 3 never bought.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenureDaysTest {

    private static final Instant NOW = Instant.parse("2026-06-15T04:00:00Z");

    private CheckedEngine checked;

    @BeforeAll
    void chain() {
        DataSource dataSource = PrivateDatabase.fresh();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Sales.oneStoreOneSku(jdbc);
        jdbc.update("""
                insert into customer (id, registered_at, updated_at) values
                (1, '2026-06-10T10:00:00+08:00', now()),
                (2, '2026-01-01T10:00:00+08:00', now()),
                (3, '2026-06-01T10:00:00+08:00', now())""");
        Sales.oneLine(jdbc, 1, 1, "2026-01-05T10:00:00+08:00", 2000);
        Sales.oneLine(jdbc, 2, 2, "2026-03-01T10:00:00+08:00", 2000);
        checked = new CheckedEngine(dataSource, NOW);
    }

    @AfterAll
    void stop() {
        checked.stop();
    }

    @Test
    void aCustomerWhoBoughtBeforeRegisteringCountsFromTheFirstPurchase() {
        assertThat(checked.matches(RuleText.parse("tenure_days = 161"))).containsExactly(1L);
        assertThat(checked.engine.metricsOf(1).orElseThrow().tenureDays()).isEqualTo(161);
    }

    @Test
    void aCustomerWhoRegisteredFirstOrNeverBoughtCountsFromTheRegistration() {
        assertThat(checked.matches(RuleText.parse("tenure_days = 165"))).containsExactly(2L);
        assertThat(checked.matches(RuleText.parse("tenure_days = 14"))).containsExactly(3L);
    }
}
