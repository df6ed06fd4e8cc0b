package app.regulars.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cell text to values: money in cents, whole quantities, local date-times, flags. */
final class Values {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?(?:[ T]+(\\d{1,2})[:时](\\d{1,2})(?:[:分](\\d{1,2})(?:\\.\\d+)?秒?)?)?");
    /** An ISO date-time's trailing offset (+08:00, -0500); "Z" is checked apart. */
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{2}:?\\d{2}$");
    private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(?:(\\d{2})(\\d{2})(\\d{2})?)?");

    private Values() {}

    /** Money such as "6.95", "¥1,299.00", "-3" to cents; more than two decimals is refused, not rounded. */
    static long cents(String text) {
        String s = text;
        if (s.indexOf(',') >= 0 || s.indexOf('¥') >= 0 || s.indexOf('￥') >= 0 || s.indexOf('$') >= 0
                || s.indexOf('元') >= 0 || s.indexOf(' ') >= 0) {
            s = s.replace(",", "").replace("¥", "").replace("￥", "").replace("$", "").replace("元", "").replace(" ", "");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new BadValue("notMoney");
        }
        if (value.stripTrailingZeros().scale() > 2) {
            throw new BadValue("tooManyDecimals");
        }
        try {
            return value.movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new BadValue("amountOutOfRange");
        }
    }

    /** A whole number of items; "12.0" as Excel writes it is fine, "0.5" is not. */
    static int quantity(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(text.replace(",", "")).intValueExact();
            } catch (NumberFormatException | ArithmeticException e2) {
                throw new BadValue("notWholeNumber");
            }
        }
    }

    static boolean flag(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "1", "y", "yes", "true", "是", "对", "√" -> true;
            case "0", "n", "no", "false", "否", "不是", "×" -> false;
            default -> throw new BadValue("notYesNo");
        };
    }

    /** Mainland mobile or international number, loosely: the customers module normalises it. */
    static String phone(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')') {
                throw new BadValue("notPhone");
            }
        }
        if (digits < 7 || digits > 15) {
            throw new BadValue("notPhone");
        }
        return text;
    }

    /** Parses dates the way spreadsheets write them, or with the user's pattern when one is given. */
    static final class DateReader {
        private final DateTimeFormatter pattern;
        private String lastText;
        private LocalDateTime lastValue;

        DateReader(String pattern) {
            this.pattern = pattern == null || pattern.isBlank() ? null : DateTimeFormatter.ofPattern(pattern);
        }

        /** The instant of a local date-time text in the given zone; an explicit offset wins. */
        Instant instant(String text, ZoneId zone) {
            if (text.endsWith("Z") || text.indexOf('T') >= 0 && OFFSET.matcher(text).find()) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    throw new BadValue("notDateTime");
                }
            }
            return local(text).atZone(zone).toInstant();
        }

        LocalDate date(String text) {
            return local(text).toLocalDate();
        }

        LocalDateTime local(String text) {
            if (text.equals(lastText)) {
                return lastValue; // rows of one receipt repeat their time
            }
            LocalDateTime value = pattern != null ? withPattern(text) : guess(text);
            lastText = text;
            lastValue = value;
            return value;
        }

        private LocalDateTime withPattern(String text) {
            try {
                TemporalAccessor parsed = pattern.parse(text);
                LocalDate date = LocalDate.from(parsed);
                return parsed.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)
                        ? LocalDateTime.from(parsed) : date.atStartOfDay();
            } catch (DateTimeParseException e) {
                throw new BadValue("dateFormatMismatch");
            }
        }

        private static LocalDateTime guess(String text) {
            Matcher m = DATE_TIME.matcher(text);
            if (!m.matches()) {
                m = COMPACT.matcher(text);
                if (!m.matches()) {
                    throw new BadValue("notDate");
                }
            }
            try {
                return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                        m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            } catch (java.time.DateTimeException e) {
                throw new BadValue("noSuchDate");
            }
        }
    }
}
