package app.regulars.purchases.web;

import app.regulars.platform.ApiProblem.FieldError;
import java.math.BigDecimal;
import java.util.List;

/** Yuan as the API sends them ("199.00" or 199.5) to exact cents, and whole quantities. */
final class Money {

    private Money() {}

    /** Cents of an amount in yuan; null when absent or wrong (then an error names the field). */
    static Long cents(BigDecimal yuan, String field, boolean required, List<FieldError> errors) {
        if (yuan == null) {
            if (required) {
                errors.add(new FieldError(field, "required"));
            }
            return null;
        }
        if (yuan.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(field, "has more than 2 decimals"));
            return null;
        }
        try {
            return yuan.movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            errors.add(new FieldError(field, "is too large"));
            return null;
        }
    }

    static Integer quantity(BigDecimal quantity, String field, List<FieldError> errors) {
        if (quantity == null) {
            errors.add(new FieldError(field, "required"));
            return null;
        }
        try {
            return quantity.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            errors.add(new FieldError(field, "must be a whole number"));
            return null;
        }
    }
}
