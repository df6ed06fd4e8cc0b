package app.regulars.console;

import app.regulars.platform.ApiProblem;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;

/**
 * What was wrong with a catalog form, by field, in the reader's language. The catalog answers in
 * English reasons (the API's); the console shows them through messages {@code catalog.reason.*}.
 */
final class CatalogFormErrors {

    private final Map<String, String> byField = new LinkedHashMap<>();
    private final MessageSource messages;
    private final Locale locale;

    CatalogFormErrors(MessageSource messages, Locale locale) {
        this.messages = messages;
        this.locale = locale;
    }

    void add(String field, String reason) {
        String key = "catalog.reason." + reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        byField.putIfAbsent(field, messages.getMessage(key, null, reason, locale));
    }

    void addAll(ApiProblem problem) {
        problem.errors().forEach(e -> add(e.field(), e.reason()));
        if (problem.errors().isEmpty()) {
            add("form", problem.getMessage());
        }
    }

    boolean isEmpty() {
        return byField.isEmpty();
    }

    Map<String, String> byField() {
        return byField;
    }

    /** A yyyy-MM-dd date from a form, null when blank; a wrong one is recorded against {@code field}. */
    LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            add(field, "invalid date");
            return null;
        }
    }

    Integer integer(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            add(field, "not a number");
            return null;
        }
    }

    /** A price typed in yuan ("12.9") as cents; more than two decimals is a typing error, not rounding. */
    Long cents(String field, String yuan) {
        if (yuan == null || yuan.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(yuan.strip()).movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            add(field, "not a number");
            return null;
        }
    }
}
