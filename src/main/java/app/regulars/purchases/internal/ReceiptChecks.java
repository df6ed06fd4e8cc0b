package app.regulars.purchases.internal;

import app.regulars.customers.PhoneNumber;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The checks a receipt must pass on its own, before anything is looked up. Field names are the JSON
 * names of the API ("lines[0].unitPrice"), prefixed with the receipt's place in a batch.
 */
final class ReceiptChecks {

    static final Set<String> KINDS = Set.of(ReceiptDraft.SALE, ReceiptDraft.REFUND);
    static final Set<String> CHANNELS = Set.of("store", "online", "mini_program", "app", "phone", "social", "other");
    static final Set<String> PAYMENT_METHODS =
            Set.of("cash", "wechat_pay", "alipay", "card", "unionpay", "points", "coupon", "gift_card", "mixed", "other");
    static final Set<String> REASONS = Set.of("size", "quality", "changed_mind", "damaged", "wrong_item", "other");
    static final String DEFAULT_CHANNEL = "store";

    /** Clocks of tills drift and timezones get mixed up; a day ahead is a mistake, not drift. */
    static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
    static final int MAX_LINES = 500;
    private static final int MAX_TEXT = 64;

    private ReceiptChecks() {}

    static String kind(ReceiptDraft r) {
        return r.kind() == null || r.kind().isBlank() ? ReceiptDraft.SALE : r.kind();
    }

    static String channel(ReceiptDraft r) {
        return r.channel() == null || r.channel().isBlank() ? DEFAULT_CHANNEL : r.channel();
    }

    static void check(ReceiptDraft r, String at, Instant now, List<FieldError> errors) {
        text(r.source(), at + "source", errors);
        text(r.receiptNo(), at + "receiptNo", errors);
        text(r.storeCode(), at + "storeCode", errors);
        if (!KINDS.contains(kind(r))) {
            errors.add(oneOf(at + "kind", KINDS));
        }
        if (r.purchasedAt() == null) {
            errors.add(Refusals.CODES.of(at + "purchasedAt", "required", "required"));
        } else if (r.purchasedAt().isAfter(now.plus(FUTURE_TOLERANCE))) {
            errors.add(Refusals.CODES.of(at + "purchasedAt", "future", "is more than a day in the future"));
        }
        if (!CHANNELS.contains(channel(r))) {
            errors.add(oneOf(at + "channel", CHANNELS));
        }
        if (r.paymentMethod() != null && !PAYMENT_METHODS.contains(r.paymentMethod())) {
            errors.add(oneOf(at + "paymentMethod", PAYMENT_METHODS));
        }
        if (r.staffCode() != null && r.staffCode().length() > MAX_TEXT) {
            errors.add(tooLong(at + "staffCode"));
        }
        // Checked here as well as when the customer is resolved, so a receipt with a bad phone and a bad
        // line hears of both at once.
        if (r.customer() != null && r.customer().phone() != null && !r.customer().phone().isBlank()
                && PhoneNumber.tryParse(r.customer().phone()).isEmpty()) {
            errors.add(PhoneNumber.parseError(at + "customer.phone"));
        }
        refund(r, at, errors);
        lines(r.lines(), at, errors);
    }

    private static void refund(ReceiptDraft r, String at, List<FieldError> errors) {
        boolean refund = ReceiptDraft.REFUND.equals(kind(r));
        boolean hasOriginal = r.originalReceiptNo() != null && !r.originalReceiptNo().isBlank();
        if (refund && !hasOriginal) {
            errors.add(Refusals.CODES.of(at + "originalReceiptNo", "originalRequired", "required for a refund"));
        }
        if (!refund && hasOriginal) {
            errors.add(Refusals.CODES.of(at + "originalReceiptNo", "originalOnlyForRefunds",
                    "only a refund refers to an original receipt"));
        }
        if (refund && (r.reasonCode() == null || !REASONS.contains(r.reasonCode()))) {
            errors.add(oneOf(at + "reasonCode", REASONS));
        }
    }

    private static void lines(List<ReceiptLine> lines, String at, List<FieldError> errors) {
        if (lines == null || lines.isEmpty()) {
            errors.add(Refusals.CODES.of(at + "lines", "noLines", "at least one line is required"));
            return;
        }
        if (lines.size() > MAX_LINES) {
            errors.add(Refusals.CODES.of(at + "lines", "tooManyLines", MAX_LINES, "at most " + MAX_LINES + " lines per receipt"));
            return;
        }
        for (int j = 0; j < lines.size(); j++) {
            String line = at + "lines[" + j + "].";
            ReceiptLine l = lines.get(j);
            if (l == null) {
                errors.add(Refusals.CODES.of(at + "lines[" + j + "]", "required", "required"));
                continue;
            }
            text(l.sku(), line + "sku", errors);
            if (l.quantity() <= 0) {
                errors.add(Refusals.CODES.of(line + "quantity", "notPositive", "must be greater than 0"));
            }
            if (l.unitPriceCents() < 0) {
                errors.add(Refusals.CODES.of(line + "unitPrice", "negative", "must not be negative"));
            }
            if (l.discountCents() < 0) {
                errors.add(Refusals.CODES.of(line + "discount", "negative", "must not be negative"));
            }
            if (l.quantity() > 0 && l.unitPriceCents() >= 0 && l.discountCents() >= 0) {
                Long gross = gross(l);
                if (gross == null) {
                    errors.add(Refusals.CODES.of(line + "unitPrice", "lineTooLarge", "quantity times price is too large"));
                } else if (l.discountCents() > gross) {
                    errors.add(Refusals.CODES.of(line + "discount", "discountTooLarge",
                            "is larger than the line's quantity times unit price"));
                }
            }
            if (l.couponCode() != null && l.couponCode().length() > MAX_TEXT) {
                errors.add(tooLong(line + "couponCode"));
            }
        }
    }

    /** quantity × unit price, or null when it does not fit. */
    static Long gross(ReceiptLine l) {
        try {
            return Math.multiplyExact((long) l.quantity(), l.unitPriceCents());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static void text(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(Refusals.CODES.of(field, "required", "required"));
        } else if (value.length() > MAX_TEXT) {
            errors.add(tooLong(field));
        }
    }

    private static FieldError tooLong(String field) {
        return Refusals.CODES.of(field, "tooLong", MAX_TEXT, "longer than " + MAX_TEXT + " characters");
    }

    private static FieldError oneOf(String field, Set<String> allowed) {
        String values = String.join(", ", allowed.stream().sorted().toList());
        return Refusals.CODES.of(field, "oneOf", values, "must be one of " + values);
    }
}
