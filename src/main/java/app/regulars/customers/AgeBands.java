package app.regulars.customers;

import app.regulars.platform.Pii;
import app.regulars.platform.RegularsProperties;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the clear-text age band true as people age. Only customers whose birthday (birth_mmdd, in
 * the clear) fell since the last run can have changed band, so only their encrypted birthdays are
 * decrypted — a few thousand rows a day, not the whole table.
 */
@Component
class AgeBands {

    static final String SETTING = "customers.age_bands.refreshed_on";

    private final JdbcTemplate jdbc;
    private final Pii pii;
    private final Clock clock;
    private final ZoneId zone;

    AgeBands(JdbcTemplate jdbc, Pii pii, Clock clock, RegularsProperties properties) {
        this.jdbc = jdbc;
        this.pii = pii;
        this.clock = clock;
        this.zone = properties.timezone();
    }

    /** Daily shortly after midnight, and at start-up to catch up on days the application was down. */
    @Scheduled(cron = "0 5 0 * * *", zone = "${regulars.timezone:Asia/Shanghai}")
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void refresh() {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        List<String> last = jdbc.queryForList("select value from app_setting where key = ? for update", String.class, SETTING);
        if (!last.isEmpty()) {
            LocalDate since = LocalDate.parse(last.getFirst());
            if (!since.isBefore(today)) {
                return;
            }
            refreshBirthdaysBetween(since.plusDays(1), today);
        }
        // Never run before: bands were computed when birthdays were written, so they are current.
        jdbc.update("""
                insert into app_setting (key, value, updated_at) values (?, ?, now())
                on conflict (key) do update set value = excluded.value, updated_at = now()""", SETTING, today.toString());
    }

    /** Recomputes the band of customers whose birthday falls between the two days (inclusive). */
    int refreshBirthdaysBetween(LocalDate from, LocalDate today) {
        Set<String> days = new LinkedHashSet<>();
        long span = ChronoUnit.DAYS.between(from, today);
        for (LocalDate d = span > 366 ? today.minusDays(366) : from; !d.isAfter(today); d = d.plusDays(1)) {
            days.add("%02d%02d".formatted(d.getMonthValue(), d.getDayOfMonth()));
            if (d.getMonthValue() == 2 && d.getDayOfMonth() == 28 && !d.isLeapYear()) {
                days.add("0229"); // leap-day birthdays age on the 28th in common years
            }
        }
        record Change(long id, String band) {}
        List<Change> changes = new ArrayList<>();
        jdbc.query(con -> {
            var ps = con.prepareStatement("""
                    select id, birthday, age_band from customer
                    where birth_mmdd = any(?) and birthday is not null and merged_into is null""");
            ps.setArray(1, con.createArrayOf("text", days.toArray()));
            return ps;
        }, rs -> {
            LocalDate birthday = LocalDate.parse(pii.decrypt(rs.getBytes(2), "customer.birthday"));
            String band = JdbcCustomerProfiles.ageBand((int) ChronoUnit.YEARS.between(birthday, today));
            if (!band.equals(rs.getString(3))) {
                changes.add(new Change(rs.getLong(1), band));
            }
        });
        jdbc.batchUpdate("update customer set age_band = ? where id = ?", changes, 1000, (ps, c) -> {
            ps.setString(1, c.band());
            ps.setLong(2, c.id());
        });
        return changes.size();
    }
}
