package app.regulars.insights.rule;

import java.time.LocalDate;

/**
 * The period an aggregate covers, in the store's timezone, relative to "today" (the evaluation
 * date).
 */
public sealed interface Window {

    Span span();

    /** Every purchase ever. */
    record AllTime(Span span) implements Window {}

    /** {@code 90d}: the last {@code days} days, today included. */
    record Rolling(int days, Span span) implements Window {}

    /**
     * A named calendar period: {@code this_month}, {@code last_month}, {@code prev_3_months} (the three
     * whole months before last month), {@code this_year}, {@code last_year}, {@code this_week},
     * {@code last_week}.
     */
    record Calendar(String period, Span span) implements Window {}

    /** {@code between(2025-01-01, 2025-03-31)}, both days included. */
    record Between(LocalDate from, LocalDate to, Span span) implements Window {}

    /**
     * {@code around("spring_festival", 7d)}: within {@code days} days before or after the most
     * recent occurrence (not after today) of a holiday from the catalog's calendar.
     */
    record AroundHoliday(String holiday, int days, Span span) implements Window {}
}
