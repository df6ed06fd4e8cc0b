package app.regulars.insights.engine;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;

/** Calendar arithmetic on epoch days without allocating in hot loops. */
final class Days {

    private Days() {}

    /** The month of an epoch day as year * 12 + (month - 1), by Hinnant's civil-from-days. */
    static int month(int epochDay) {
        int z = epochDay + 719_468;
        int era = Math.floorDiv(z, 146_097);
        int doe = z - era * 146_097;
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int y = yoe + era * 400;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int m = mp < 10 ? mp + 3 : mp - 9;
        return (m <= 2 ? y + 1 : y) * 12 + (m - 1);
    }

    /** The first epoch day of a month given as year * 12 + (month - 1). */
    static int firstDayOfMonth(int month) {
        return (int) LocalDate.of(Math.floorDiv(month, 12), Math.floorMod(month, 12) + 1, 1).toEpochDay();
    }

    /** The customer's anniversary of a month-day in a year; days past the month's end fall on its last day. */
    static LocalDate anniversary(int year, int mmdd) {
        int m = mmdd / 100;
        YearMonth ym = YearMonth.of(year, m);
        return ym.atDay(Math.min(mmdd % 100, ym.lengthOfMonth()));
    }

    /** Whether the next anniversary (today included) of each month-day is within {@code days} days. */
    static boolean[] birthdaysWithin(int today, int days) {
        boolean[] within = new boolean[1232];
        LocalDate t = LocalDate.ofEpochDay(today);
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                int mmdd = m * 100 + d;
                LocalDate next = anniversary(t.getYear(), mmdd);
                if (next.isBefore(t)) {
                    next = anniversary(t.getYear() + 1, mmdd);
                }
                within[mmdd] = next.toEpochDay() - today < days;
            }
        }
        return within;
    }

    /** [first, last] epoch days of a named calendar period relative to today. */
    static int[] period(String name, int today) {
        LocalDate t = LocalDate.ofEpochDay(today);
        LocalDate monday = t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate month = t.withDayOfMonth(1);
        LocalDate year = t.withDayOfYear(1);
        return switch (name) {
            case "this_week" -> range(monday, monday.plusDays(6));
            case "last_week" -> range(monday.minusDays(7), monday.minusDays(1));
            case "this_month" -> range(month, month.plusMonths(1).minusDays(1));
            case "last_month" -> range(month.minusMonths(1), month.minusDays(1));
            case "prev_3_months" -> range(month.minusMonths(4), month.minusMonths(1).minusDays(1));
            case "this_year" -> range(year, year.plusYears(1).minusDays(1));
            case "last_year" -> range(year.minusYears(1), year.minusDays(1));
            default -> throw new IllegalArgumentException("unknown period " + name);
        };
    }

    private static int[] range(LocalDate from, LocalDate to) {
        return new int[] {(int) from.toEpochDay(), (int) to.toEpochDay()};
    }
}
