package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class AgeBandsTest extends IntegrationTest {

    @Autowired CustomerProfiles profiles;
    @Autowired Customers customers;
    @Autowired AgeBands ageBands;
    @Autowired JdbcTemplate jdbc;
    @Autowired Clock clock;

    @Test
    void aBirthdayMovesTheCustomerIntoTheNextAgeBand() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.of("Asia/Shanghai")));
        long id = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        profiles.update(id, new ProfileChange(null, null, null, null, today.minusYears(25).toString(), null, null, null,
                null, null, null, null));
        assertThat(profiles.profile(id).orElseThrow().ageBand()).isEqualTo("25-34");
        // As it stood yesterday, before the 25th birthday.
        jdbc.update("update customer set age_band = '18-24' where id = ?", id);

        ageBands.refreshBirthdaysBetween(today.minusDays(1), today);

        assertThat(profiles.profile(id).orElseThrow().ageBand()).isEqualTo("25-34");
    }

    @Test
    void ageBandsAreCoarse() {
        assertThat(JdbcCustomerProfiles.ageBand(17)).isEqualTo("<18");
        assertThat(JdbcCustomerProfiles.ageBand(18)).isEqualTo("18-24");
        assertThat(JdbcCustomerProfiles.ageBand(34)).isEqualTo("25-34");
        assertThat(JdbcCustomerProfiles.ageBand(35)).isEqualTo("35-44");
        assertThat(JdbcCustomerProfiles.ageBand(64)).isEqualTo("55-64");
        assertThat(JdbcCustomerProfiles.ageBand(65)).isEqualTo("65+");
    }
}
