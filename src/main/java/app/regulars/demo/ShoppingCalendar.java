package app.regulars.demo;

import com.ibm.icu.util.ChineseCalendar;
import com.ibm.icu.util.TimeZone;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * When Chinese shoppers shop: they wait for 11.11 and 618 when a purchase falls due shortly before,
 * stock up before the Spring Festival and stay home during it, and prefer weekends. The generator
 * first decides when a purchase falls due, then asks this calendar when it actually happens.
 */
final class ShoppingCalendar {

    static final MonthDay SINGLES_DAY = MonthDay.of(11, 11);
    static final MonthDay MID_YEAR_SALE = MonthDay.of(6, 18);

    private final Map<Integer, LocalDate> springFestivals = new HashMap<>();
    private final IntFunction<LocalDate> springFestivalOf;

    /** Spring Festival dates from ICU's Chinese calendar. */
    ShoppingCalendar() {
        this(ShoppingCalendar::findSpringFestival);
    }

    /** Spring Festival dates from elsewhere (the catalog's holiday calendar, when the chain has one). */
    ShoppingCalendar(IntFunction<LocalDate> springFestivalOf) {
        this.springFestivalOf = springFestivalOf;
    }

    /** The day a purchase due on {@code due} actually happens, kept within earliest..latest. */
    LocalDate shift(LocalDate due, LocalDate earliest, LocalDate latest, RandomGenerator random) {
        LocalDate day = shiftForPromotions(due, random);
        if (day.isBefore(earliest) || day.isAfter(latest)) {
            day = due;
        }
        return day;
    }

    private LocalDate shiftForPromotions(LocalDate due, RandomGenerator random) {
        LocalDate singlesDay = SINGLES_DAY.atYear(due.getYear());
        long toSinglesDay = singlesDay.toEpochDay() - due.toEpochDay();
        if (toSinglesDay >= 1 && toSinglesDay <= 10 && random.nextDouble() < 0.55) {
            return singlesDay; // waits for 11.11
        }
        if (toSinglesDay >= 11 && toSinglesDay <= 21 && random.nextDouble() < 0.3) {
            // presale: deposits paid from late October, first wave on Oct 31 / Nov 1
            return singlesDay.minusDays(10 + random.nextInt(2));
        }
        LocalDate midYear = MID_YEAR_SALE.atYear(due.getYear());
        long toMidYear = midYear.toEpochDay() - due.toEpochDay();
        if (toMidYear >= 1 && toMidYear <= 10 && random.nextDouble() < 0.4) {
            return midYear;
        }
        LocalDate festival = springFestival(due.getYear());
        long sinceFestival = due.toEpochDay() - festival.toEpochDay();
        if (sinceFestival >= -1 && sinceFestival <= 6 && random.nextDouble() < 0.7) {
            return festival.minusDays(2 + random.nextInt(13)); // New Year shopping, then the holiday
        }
        DayOfWeek weekday = due.getDayOfWeek();
        if (weekday.getValue() <= 4 && random.nextDouble() < 0.2) {
            return due.plusDays(DayOfWeek.SATURDAY.getValue() - weekday.getValue() + random.nextInt(2));
        }
        return due;
    }

    boolean isPromotion(LocalDate day) {
        long toSinglesDay = SINGLES_DAY.atYear(day.getYear()).toEpochDay() - day.toEpochDay();
        long toMidYear = MID_YEAR_SALE.atYear(day.getYear()).toEpochDay() - day.toEpochDay();
        return (toSinglesDay >= 0 && toSinglesDay <= 11) || toMidYear == 0;
    }

    /** The first day of the lunar year that starts in the given Gregorian year (正月初一). */
    LocalDate springFestival(int year) {
        return springFestivals.computeIfAbsent(year, springFestivalOf::apply);
    }

    private static LocalDate findSpringFestival(int year) {
        ChineseCalendar lunar = new ChineseCalendar(TimeZone.getTimeZone("UTC"));
        // 正月初一 always falls between January 21 and February 20.
        for (LocalDate day = LocalDate.of(year, 1, 20); day.getMonthValue() <= 2; day = day.plusDays(1)) {
            lunar.setTimeInMillis(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            if (lunar.get(ChineseCalendar.MONTH) == 0 && lunar.get(ChineseCalendar.DAY_OF_MONTH) == 1
                    && lunar.get(ChineseCalendar.IS_LEAP_MONTH) == 0) {
                return day;
            }
        }
        throw new IllegalStateException("no Spring Festival found in " + year);
    }
}
