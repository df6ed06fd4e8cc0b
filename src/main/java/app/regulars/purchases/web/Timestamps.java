package app.regulars.purchases.web;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RegularsProperties;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Times as tills send them: ISO with an offset ("2026-11-11T10:00:00+08:00", "…Z"), or local wall
 * time without one ("2026-11-11T10:00:00"), which is read in the store's timezone (many tills in
 * China know no offsets).
 */
@Component
class Timestamps {

    private final Catalog catalog;
    private final ZoneId defaultZone;

    Timestamps(Catalog catalog, RegularsProperties properties) {
        this.catalog = catalog;
        this.defaultZone = properties.timezone();
    }

    Instant parse(String text, String storeCode, String field, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant common = commonShape(text);
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                ZoneId zone = storeCode == null ? defaultZone
                        : catalog.storeByCode(storeCode).map(Store::timezone).orElse(defaultZone);
                return LocalDateTime.parse(text.strip()).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(field, "not a date-time such as 2026-11-11T10:00:00+08:00"));
                return null;
            }
        }
    }

    /**
     * The shape nearly every till sends, "2026-11-11T10:00:00+08:00" or "…Z", read without the
     * general ISO parser. WHY: that parser was about 5% of a receipt's server CPU. Anything else, or
     * anything out of range, is left to the general path (null), which also words the error.
     */
    static Instant commonShape(String t) {
        int n = t.length();
        boolean zulu = n == 20 && t.charAt(19) == 'Z';
        boolean offset = n == 25 && (t.charAt(19) == '+' || t.charAt(19) == '-') && t.charAt(22) == ':';
        if (!(zulu || offset) || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
        int hour = digits(t, 11, 2), minute = digits(t, 14, 2), second = digits(t, 17, 2);
        int offsetHours = offset ? digits(t, 20, 2) : 0, offsetMinutes = offset ? digits(t, 23, 2) : 0;
        if ((year | month | day | hour | minute | second | offsetHours | offsetMinutes) < 0) {
            return null;
        }
        try {
            int sign = offset && t.charAt(19) == '-' ? -1 : 1;
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(sign * offsetHours, sign * offsetMinutes);
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(zone);
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    /** The decimal number in t[from, from + count), or -1 when a character is not a digit. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
