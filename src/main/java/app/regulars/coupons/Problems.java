package app.regulars.coupons;

import app.regulars.platform.ApiProblem;
import java.util.ArrayList;
import java.util.List;

/** Everything wrong with one request, collected so the caller hears about all of it at once. */
final class Problems {

    /** Amounts above this (ten million yuan) are a typo or an attack, never a coupon. */
    static final long MAX_CENTS = 1_000_000_000L;

    private final List<ApiProblem.FieldError> errors = new ArrayList<>();

    Problems add(String field, String reason) {
        return add(new ApiProblem.FieldError(field, reason));
    }

    /** A refusal with its code (coupons.refused.*), for those the console shows. */
    Problems add(String field, String code, String english) {
        return add(Refusals.CODES.of(field, code, english));
    }

    Problems add(ApiProblem.FieldError error) {
        errors.add(error);
        return this;
    }

    /** A money amount in cents: within (min, MAX_CENTS]; null passes unless required. */
    Problems cents(String field, Long value, boolean required, long min) {
        if (value == null) {
            if (required) {
                add(field, "required", "required");
            }
        } else if (value < min) {
            add(field, min == 0 ? "negative" : "notPositive", min == 0 ? "must not be negative" : "must be positive");
        } else if (value > MAX_CENTS) {
            add(Refusals.CODES.of(field, "tooMuch", MAX_CENTS / 100, "must be at most " + MAX_CENTS + " cents"));
        }
        return this;
    }

    Problems range(String field, Integer value, boolean required, int min, int max) {
        if (value == null) {
            if (required) {
                add(field, "required", "required");
            }
        } else if (value < min || value > max) {
            add(Refusals.CODES.of(field, "range", min + "–" + max, "must be between " + min + " and " + max));
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
}
