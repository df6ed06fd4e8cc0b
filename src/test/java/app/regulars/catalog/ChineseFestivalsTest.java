package app.regulars.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dates checked against the published calendars (State Council holiday notices, Hong Kong Observatory). */
class ChineseFestivalsTest {

    @ParameterizedTest(name = "{0} {1} falls on {2}")
    @CsvSource({
            "2024, spring-festival, 2024-02-10",
            "2025, spring-festival, 2025-01-29",
            "2026, spring-festival, 2026-02-17",
            "2027, spring-festival, 2027-02-06",
            "2030, spring-festival, 2030-02-03",
            "2012, qixi, 2012-08-23",
            "2033, qixi, 2033-08-01",
            "2033, mid-autumn, 2033-09-08",
            "2025, lantern, 2025-02-12",
            "2025, dragon-boat, 2025-05-31",
            "2026, dragon-boat, 2026-06-19",
            "2025, qixi, 2025-08-29",
            "2024, mid-autumn, 2024-09-17",
            "2025, mid-autumn, 2025-10-06",
            "2026, mid-autumn, 2026-09-25",
            "2026, national-day, 2026-10-01",
            "2026, double-11, 2026-11-11",
    })
    void festivalsFallOnTheirPublishedDates(int year, String code, LocalDate expected) {
        assertThat(ChineseFestivals.of(year)).filteredOn(h -> h.code().equals(code))
                .singleElement().extracting(Holiday::date).isEqualTo(expected);
    }

    /** Spring Festival and Mid-Autumn as published for 2015–2035 (the years generated at start). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2015, 2015-02-19, 2015-09-27", "2016, 2016-02-08, 2016-09-15", "2017, 2017-01-28, 2017-10-04",
            "2018, 2018-02-16, 2018-09-24", "2019, 2019-02-05, 2019-09-13", "2020, 2020-01-25, 2020-10-01",
            "2021, 2021-02-12, 2021-09-21", "2022, 2022-02-01, 2022-09-10", "2023, 2023-01-22, 2023-09-29",
            "2024, 2024-02-10, 2024-09-17", "2025, 2025-01-29, 2025-10-06", "2026, 2026-02-17, 2026-09-25",
            "2027, 2027-02-06, 2027-09-15", "2028, 2028-01-26, 2028-10-03", "2029, 2029-02-13, 2029-09-22",
            "2030, 2030-02-03, 2030-09-12", "2031, 2031-01-23, 2031-10-01", "2032, 2032-02-11, 2032-09-19",
            "2033, 2033-01-31, 2033-09-08", "2034, 2034-02-19, 2034-09-27", "2035, 2035-02-08, 2035-09-16",
    })
    void springFestivalAndMidAutumnMatchThePublishedCalendar(int year, LocalDate springFestival, LocalDate midAutumn) {
        assertThat(ChineseFestivals.of(year)).filteredOn(h -> h.code().equals("spring-festival"))
                .singleElement().extracting(Holiday::date).isEqualTo(springFestival);
        assertThat(ChineseFestivals.of(year)).filteredOn(h -> h.code().equals("mid-autumn"))
                .singleElement().extracting(Holiday::date).isEqualTo(midAutumn);
    }

    @org.junit.jupiter.api.Test
    void everyYearHasEachFestivalOnceWithItsWindow() {
        for (int year = ChineseFestivals.FIRST_YEAR; year <= ChineseFestivals.LAST_YEAR; year++) {
            var holidays = ChineseFestivals.of(year);
            assertThat(holidays).hasSize(ChineseFestivals.FESTIVALS.size());
            int y = year;
            assertThat(holidays).allSatisfy(h -> assertThat(h.date().getYear()).isEqualTo(y));
        }
        Holiday doubleEleven = ChineseFestivals.of(2026).stream().filter(h -> h.code().equals("double-11")).findFirst().orElseThrow();
        assertThat(doubleEleven.windowContains(java.time.LocalDate.of(2026, 11, 1))).isTrue();
        assertThat(doubleEleven.windowContains(java.time.LocalDate.of(2026, 10, 31))).isFalse();
        assertThat(doubleEleven.windowContains(java.time.LocalDate.of(2026, 11, 12))).isTrue();
    }
}
