package app.regulars.catalog;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Chinese festivals, fixed holidays, shopping festivals and the chain's own holidays, with the
 * marketing window around each. Years are filled in on first use, so any year can be asked.
 */
public interface HolidayCalendar {

    /** Holidays dated from {@code from} to {@code to} inclusive, by date. */
    List<Holiday> between(LocalDate from, LocalDate to);

    /** The holiday whose window contains {@code day}; the one dated nearest wins, then the coming one. */
    Optional<Holiday> around(LocalDate day);

    /** Adds or changes a custom holiday; idempotent on code and date. */
    Holiday addCustom(CustomHoliday holiday);
}
