package app.regulars.catalog;

import app.regulars.access.Callers;
import app.regulars.platform.ApiProblem;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The holiday calendar in the {@code holiday} table. Generated festivals are written per year the
 * first time the year is asked for (and 2015–2035 at start), never overwritten, so a window someone
 * adjusted in the database stays adjusted.
 */
@Service
class HolidayTable implements HolidayCalendar {

    static final int PREFILL_FROM = 2015;
    static final int PREFILL_TO = 2035;

    private static final String COLUMNS = "code, name_zh, name_en, date, kind, window_before_days, window_after_days";

    /** Longest window we allow, which is also how far around a day {@link #around} must look. */
    static final int MAX_WINDOW_DAYS = 60;

    private final JdbcClient db;
    private final Set<Integer> generatedYears = ConcurrentHashMap.newKeySet();

    HolidayTable(JdbcClient db) {
        this.db = db;
    }

    @EventListener(ApplicationReadyEvent.class)
    void prefill() {
        generate(PREFILL_FROM, PREFILL_TO);
    }

    @Override
    public List<Holiday> between(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return List.of();
        }
        generate(from.getYear(), to.getYear());
        return db.sql("select " + COLUMNS + " from holiday where date between ? and ? order by date, code")
                .params(Date.valueOf(from), Date.valueOf(to)).query(HolidayTable::holiday).list();
    }

    @Override
    public Optional<Holiday> around(LocalDate day) {
        return between(day.minusDays(MAX_WINDOW_DAYS), day.plusDays(MAX_WINDOW_DAYS)).stream()
                .filter(h -> h.windowContains(day))
                .min(Comparator.<Holiday>comparingLong(h -> Math.abs(h.date().toEpochDay() - day.toEpochDay()))
                        .thenComparing(h -> h.date().isBefore(day)));
    }

    @Override
    @Transactional
    public Holiday addCustom(CustomHoliday holiday) {
        Callers.requireAllStores("changing the holiday calendar");
        if (holiday == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        InputErrors errors = new InputErrors().code("code", holiday.code())
                .name("nameZh", holiday.nameZh()).optionalText("nameEn", holiday.nameEn());
        if (holiday.code() != null && ChineseFestivals.isGeneratedCode(holiday.code().strip())) {
            errors.add("code", "reserved for a generated festival");
        }
        if (holiday.date() == null) {
            errors.add("date", "must not be blank");
        } else if (holiday.date().getYear() < ChineseFestivals.FIRST_YEAR || holiday.date().getYear() > ChineseFestivals.LAST_YEAR) {
            errors.add("date", "must be between " + ChineseFestivals.FIRST_YEAR + " and " + ChineseFestivals.LAST_YEAR);
        }
        windowDays(errors, "windowBefore", holiday.windowBefore());
        windowDays(errors, "windowAfter", holiday.windowAfter());
        errors.throwIfAny();
        String nameZh = holiday.nameZh().strip();
        String nameEn = holiday.nameEn() == null || holiday.nameEn().isBlank() ? nameZh : holiday.nameEn().strip();
        return db.sql("""
                        insert into holiday (code, name_zh, name_en, date, kind, window_before_days, window_after_days)
                        values (?, ?, ?, ?, 'custom', ?, ?)
                        on conflict (code, date) do update set name_zh = excluded.name_zh, name_en = excluded.name_en,
                            window_before_days = excluded.window_before_days, window_after_days = excluded.window_after_days
                        returning\s""" + COLUMNS)
                .params(holiday.code().strip(), nameZh, nameEn, Date.valueOf(holiday.date()),
                        holiday.windowBefore() == null ? 0 : holiday.windowBefore(),
                        holiday.windowAfter() == null ? 0 : holiday.windowAfter())
                .query(HolidayTable::holiday).single();
    }

    private static void windowDays(InputErrors errors, String field, Integer days) {
        if (days != null && (days < 0 || days > MAX_WINDOW_DAYS)) {
            errors.add(field, "must be between 0 and " + MAX_WINDOW_DAYS);
        }
    }

    /** Writes the festivals of the years not written yet, in one statement; safe to run concurrently. */
    void generate(int fromYear, int toYear) {
        int from = Math.max(fromYear, ChineseFestivals.FIRST_YEAR);
        int to = Math.min(toYear, ChineseFestivals.LAST_YEAR);
        List<Holiday> missing = IntStream.rangeClosed(from, to).filter(y -> !generatedYears.contains(y))
                .boxed().flatMap(y -> ChineseFestivals.of(y).stream()).toList();
        if (missing.isEmpty()) {
            return;
        }
        db.sql("""
                        insert into holiday (code, name_zh, name_en, date, kind, window_before_days, window_after_days)
                        select * from unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::text[], ?::int[], ?::int[])
                        on conflict (code, date) do nothing
                        """)
                .params(missing.stream().map(Holiday::code).toArray(String[]::new),
                        missing.stream().map(Holiday::nameZh).toArray(String[]::new),
                        missing.stream().map(Holiday::nameEn).toArray(String[]::new),
                        missing.stream().map(h -> Date.valueOf(h.date())).toArray(Date[]::new),
                        missing.stream().map(h -> h.kind().code()).toArray(String[]::new),
                        missing.stream().map(Holiday::windowBefore).toArray(Integer[]::new),
                        missing.stream().map(Holiday::windowAfter).toArray(Integer[]::new))
                .update();
        IntStream.rangeClosed(from, to).forEach(generatedYears::add);
    }

    private static Holiday holiday(ResultSet rs, int row) throws SQLException {
        return new Holiday(rs.getString("code"), rs.getString("name_zh"), rs.getString("name_en"),
                rs.getDate("date").toLocalDate(), HolidayKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getInt("window_before_days"), rs.getInt("window_after_days"));
    }
}
