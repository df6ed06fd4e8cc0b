package app.regulars.catalog;

import java.time.LocalDate;

/**
 * A holiday on one date with its marketing window: {@code windowBefore} days of run-up (gifts,
 * presales) and {@code windowAfter} days after it that still belong to the season.
 */
public record Holiday(String code, String nameZh, String nameEn, LocalDate date, HolidayKind kind, int windowBefore,
                      int windowAfter) {

    public LocalDate windowStart() {
        return date.minusDays(windowBefore);
    }

    public LocalDate windowEnd() {
        return date.plusDays(windowAfter);
    }

    public boolean windowContains(LocalDate day) {
        return !day.isBefore(windowStart()) && !day.isAfter(windowEnd());
    }
}
