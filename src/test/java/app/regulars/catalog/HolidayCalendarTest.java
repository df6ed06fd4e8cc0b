package app.regulars.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class HolidayCalendarTest extends IntegrationTest {

    @Autowired HolidayCalendar holidays;

    @Test
    void aDayInsideAFestivalsWindowIsAroundThatFestival() {
        assertThat(holidays.around(LocalDate.of(2026, 11, 5))).get().extracting(Holiday::code).isEqualTo("double-11");
        assertThat(holidays.around(LocalDate.of(2026, 2, 10))).get().extracting(Holiday::code).isEqualTo("spring-festival");
        assertThat(holidays.around(LocalDate.of(2026, 7, 15))).isEmpty();
    }

    @Test
    void whenWindowsOverlapTheNearestHolidayWins() {
        // Labour Day runs 1–5 May; the 520 run-up starts 13 May.
        assertThat(holidays.around(LocalDate.of(2026, 5, 5))).get().extracting(Holiday::code).isEqualTo("labour-day");
        // Mid-Autumn (25 Sep, 2 days after) overlaps the National Day run-up (from 24 Sep): the nearer date wins.
        assertThat(holidays.around(LocalDate.of(2026, 9, 27))).get().extracting(Holiday::code).isEqualTo("mid-autumn");
        assertThat(holidays.around(LocalDate.of(2026, 9, 29))).get().extracting(Holiday::code).isEqualTo("national-day");
    }

    @Test
    void yearsFarFromTodayAreFilledInOnDemand() {
        assertThat(holidays.between(LocalDate.of(2061, 1, 1), LocalDate.of(2061, 12, 31)))
                .hasSize(ChineseFestivals.FESTIVALS.size());
    }

    @Test
    void aCustomHolidayIsUpsertedByCodeAndDate() {
        String code = "fair-" + UUID.randomUUID().toString().substring(0, 8);
        holidays.addCustom(new CustomHoliday(code, "庙会", null, LocalDate.of(2042, 3, 3), 2, 0));
        holidays.addCustom(new CustomHoliday(code, "庙会", "Temple fair", LocalDate.of(2042, 3, 3), 4, 1));

        assertThat(holidays.between(LocalDate.of(2042, 3, 3), LocalDate.of(2042, 3, 3)))
                .filteredOn(h -> h.code().equals(code)).singleElement()
                .returns("Temple fair", Holiday::nameEn).returns(4, Holiday::windowBefore)
                .returns(HolidayKind.CUSTOM, Holiday::kind);
        assertThat(holidays.around(LocalDate.of(2042, 2, 28))).get().extracting(Holiday::code).isEqualTo(code);
    }
}
