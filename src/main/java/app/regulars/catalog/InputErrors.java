package app.regulars.catalog;

import app.regulars.platform.ApiProblem;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Collects everything wrong with one request so the caller hears about all of it at once. */
final class InputErrors {

    static final int MAX_CODE = 64;
    static final int MAX_NAME = 200;

    private final List<ApiProblem.FieldError> errors = new ArrayList<>();

    InputErrors add(String field, String reason) {
        errors.add(new ApiProblem.FieldError(field, reason));
        return this;
    }

    /** Codes are keys other systems send back to us: required, short, no spaces. */
    InputErrors code(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, "must not be blank");
        } else if (value.strip().length() > MAX_CODE) {
            add(field, "too long");
        } else if (value.strip().chars().anyMatch(Character::isWhitespace)) {
            add(field, "must not contain spaces");
        }
        return this;
    }

    InputErrors name(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, "must not be blank");
        } else if (value.length() > MAX_NAME) {
            add(field, "too long");
        }
        return this;
    }

    InputErrors optionalText(String field, String value) {
        if (value != null && value.length() > MAX_NAME) {
            add(field, "too long");
        }
        return this;
    }

    InputErrors timezone(String field, String value) {
        if (value != null && !value.isBlank()) {
            try {
                ZoneId.of(value.strip());
            } catch (DateTimeException e) {
                add(field, "unknown timezone");
            }
        }
        return this;
    }

    /** Cycles and windows in days: positive (or zero when allowed) and at most ten years. */
    InputErrors days(String field, Integer value, int min) {
        if (value != null && (value < min || value > 3660)) {
            add(field, min == 0 ? "must be between 0 and 3660" : "must be between 1 and 3660");
        }
        return this;
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }

    static String strip(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
