package app.regulars.catalog;

import com.ibm.icu.util.Calendar;
import com.ibm.icu.util.ChineseCalendar;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.JulianFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The holidays Chinese retail plans around, for one Gregorian year, with their default marketing
 * windows (days before / after the day). The windows follow how the seasons are sold:
 * <ul>
 *   <li>Spring Festival 14 / 7: New Year shopping (年货) starts two weeks ahead, visits and gifts run
 *       through the first week of the year;</li>
 *   <li>Mid-Autumn 10 / 2: mooncake and gift-box season; National Day 7 / 6: the Golden Week;</li>
 *   <li>双11 10 / 1 and 618 14 / 1: presales open ten days to two weeks before, returns and
 *       follow-ups the day after; 双12 7 / 1; 520 and Qixi 7 / 0 and Women's Day 5 / 0: gift days,
 *       nothing after;</li>
 *   <li>Lantern 3 / 0, Dragon Boat 7 / 1 (zongzi), New Year's Day 3 / 1, Labour Day 3 / 4 (the May
 *       holiday runs 1–5 May).</li>
 * </ul>
 * Lunar dates come from ICU's Chinese calendar (month and day of the lunisolar year, never a leap month).
 */
final class ChineseFestivals {

    /** A festival rule: how to find its date in a year and its default window. */
    record Festival(String code, String nameZh, String nameEn, HolidayKind kind, int lunarMonth, int lunarDay,
                    MonthDay gregorian, int before, int after) {

        static Festival lunar(String code, String zh, String en, int month, int day, int before, int after) {
            return new Festival(code, zh, en, HolidayKind.LUNAR, month, day, null, before, after);
        }

        static Festival fixed(String code, String zh, String en, HolidayKind kind, int month, int day, int before,
                              int after) {
            return new Festival(code, zh, en, kind, 0, 0, MonthDay.of(month, day), before, after);
        }
    }

    static final List<Festival> FESTIVALS = List.of(
            Festival.lunar("spring-festival", "春节", "Spring Festival", 1, 1, 14, 7),
            Festival.lunar("lantern", "元宵节", "Lantern Festival", 1, 15, 3, 0),
            Festival.lunar("dragon-boat", "端午节", "Dragon Boat Festival", 5, 5, 7, 1),
            Festival.lunar("qixi", "七夕", "Qixi Festival", 7, 7, 7, 0),
            Festival.lunar("mid-autumn", "中秋节", "Mid-Autumn Festival", 8, 15, 10, 2),
            Festival.fixed("new-year", "元旦", "New Year's Day", HolidayKind.FIXED, 1, 1, 3, 1),
            Festival.fixed("womens-day", "妇女节", "Women's Day", HolidayKind.FIXED, 3, 8, 5, 0),
            Festival.fixed("labour-day", "劳动节", "Labour Day", HolidayKind.FIXED, 5, 1, 3, 4),
            Festival.fixed("national-day", "国庆节", "National Day", HolidayKind.FIXED, 10, 1, 7, 6),
            Festival.fixed("520", "520", "520 (Love Day)", HolidayKind.SHOPPING, 5, 20, 7, 0),
            Festival.fixed("618", "618购物节", "618 Shopping Festival", HolidayKind.SHOPPING, 6, 18, 14, 1),
            Festival.fixed("double-11", "双11", "Singles' Day (11.11)", HolidayKind.SHOPPING, 11, 11, 10, 1),
            Festival.fixed("double-12", "双12", "Double 12 (12.12)", HolidayKind.SHOPPING, 12, 12, 7, 1));

    /** Years ICU's Chinese calendar is trustworthy for and that a retailer could care about. */
    static final int FIRST_YEAR = 1901;
    static final int LAST_YEAR = 2099;

    private ChineseFestivals() {}

    static boolean isGeneratedCode(String code) {
        return FESTIVALS.stream().anyMatch(f -> f.code().equals(code));
    }

    /** Every festival of a Gregorian year, by date. */
    static List<Holiday> of(int year) {
        List<Holiday> holidays = new ArrayList<>(FESTIVALS.size());
        for (Festival f : FESTIVALS) {
            LocalDate date = f.kind() == HolidayKind.LUNAR ? lunarDate(year, f.lunarMonth(), f.lunarDay())
                    : f.gregorian().atYear(year);
            holidays.add(new Holiday(f.code(), f.nameZh(), f.nameEn(), date, f.kind(), f.before(), f.after()));
        }
        holidays.sort(java.util.Comparator.comparing(Holiday::date));
        return holidays;
    }

    /**
     * The Gregorian date of a lunar month and day in the Chinese year that begins in {@code year}.
     * Chinese New Year falls between 21 January and 20 February, so the Chinese year current on
     * 1 July is the one that began in this Gregorian year, and months 1–8 all land inside it.
     * ICU numbers the months (leap months included); the day the month starts is then checked
     * against a more precise new moon, because ICU errs when the new moon is minutes from midnight
     * in China (it gets Spring Festival 2027 and 2030 and Qixi 2012 a day wrong).
     */
    static LocalDate lunarDate(int year, int month, int day) {
        ChineseCalendar calendar = new ChineseCalendar(TimeZone.GMT_ZONE, ULocale.ROOT);
        calendar.clear();
        calendar.set(Calendar.JULIAN_DAY, (int) LocalDate.of(year, 7, 1).getLong(JulianFields.JULIAN_DAY));
        int chineseYear = calendar.get(Calendar.EXTENDED_YEAR);
        calendar.clear();
        calendar.set(Calendar.EXTENDED_YEAR, chineseYear);
        calendar.set(Calendar.MONTH, month - 1);
        calendar.set(ChineseCalendar.IS_LEAP_MONTH, 0);
        calendar.set(Calendar.DAY_OF_MONTH, 1);
        LocalDate icuStart = LocalDate.MIN.with(JulianFields.JULIAN_DAY, calendar.get(Calendar.JULIAN_DAY));
        return monthStart(icuStart).plusDays(day - 1L);
    }

    /** The civil day in China of the new moon that starts the month ICU says starts on {@code icuStart}. */
    static LocalDate monthStart(LocalDate icuStart) {
        // Before 1929 the calendar was reckoned in Beijing's local mean time, since then at UTC+8.
        ZoneOffset china = icuStart.getYear() < 1929 ? ZoneOffset.ofHoursMinutesSeconds(7, 45, 40) : ZoneOffset.ofHours(8);
        OffsetDateTime moon = NewMoons.closestTo(icuStart.atTime(LocalTime.NOON).toInstant(china)).atOffset(china);
        int second = moon.toLocalTime().toSecondOfDay();
        boolean tooCloseToCall = Math.min(second, 86_400 - second) < 60;
        boolean sameLunation = Math.abs(moon.toLocalDate().toEpochDay() - icuStart.toEpochDay()) <= 1;
        return tooCloseToCall || !sameLunation ? icuStart : moon.toLocalDate();
    }
}
