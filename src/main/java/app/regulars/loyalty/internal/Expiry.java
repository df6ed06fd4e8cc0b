package app.regulars.loyalty.internal;

import app.regulars.loyalty.LoyaltyProgram.Settings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/** When points earned at a given moment expire, under the programme's policy, in the store's calendar. */
final class Expiry {

    private Expiry() {}

    /** Null: never. "End of" means the last moment of that day, i.e. the start of the next one. */
    static Instant of(Settings s, Instant earned, ZoneId zone) {
        LocalDate day = earned.atZone(zone).toLocalDate();
        return switch (s.expiryPolicy()) {
            case "never" -> null;
            case "days" -> earned.plusSeconds(86_400L * s.expiryN());
            case "end_of_month" -> day.plusMonths(s.expiryN()).with(TemporalAdjusters.firstDayOfNextMonth())
                    .atStartOfDay(zone).toInstant();
            case "end_of_year" -> day.plusYears(s.expiryN()).with(TemporalAdjusters.firstDayOfNextYear())
                    .atStartOfDay(zone).toInstant();
            default -> throw new IllegalStateException("unknown expiry policy " + s.expiryPolicy());
        };
    }
}
