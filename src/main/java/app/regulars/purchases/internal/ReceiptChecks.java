package app.regulars.purchases.internal;

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
            errors.add(new FieldError(at + "kind", "must be one of " + sorted(KINDS)));
        }
        if (r.purchasedAt() == null) {
            errors.add(new FieldError(at + "purchasedAt", "required"));
        } else if (r.purchasedAt().isAfter(now.plus(FUTURE_TOLERANCE))) {
            errors.add(new FieldError(at + "purchasedAt", "is more than a day in the future"));
        }
        if (!CHANNELS.contains(channel(r))) {
            errors.add(new FieldError(at + "channel", "must be one of " + sorted(CHANNELS)));
        }
        if (r.paymentMethod() != null && !PAYMENT_METHODS.contains(r.paymentMethod())) {
            errors.add(new FieldError(at + "paymentMethod", "must be one of " + sorted(PAYMENT_METHODS)));
        }
        if (r.staffCode() != null && r.staffCode().length() > MAX_TEXT) {
            errors.add(new FieldError(at + "staffCode", "longer than " + MAX_TEXT + " characters"));
        }
        refund(r, at, errors);
        lines(r.lines(), at, errors);
    }

    private static void refund(ReceiptDraft r, String at, List<FieldError> errors) {
        boolean refund = ReceiptDraft.REFUND.equals(kind(r));
        boolean hasOriginal = r.originalReceiptNo() != null && !r.originalReceiptNo().isBlank();
        if (refund && !hasOriginal) {
            errors.add(new FieldError(at + "originalReceiptNo", "required for a refund"));
        }
        if (!refund && hasOriginal) {
            errors.add(new FieldError(at + "originalReceiptNo", "only a refund refers to an original receipt"));
        }
        if (refund && (r.reasonCode() == null || !REASONS.contains(r.reasonCode()))) {
            errors.add(new FieldError(at + "reasonCode", "must be one of " + sorted(REASONS)));
        }
    }

    private static void lines(List<ReceiptLine> lines, String at, List<FieldError> errors) {
        if (lines == null || lines.isEmpty()) {
            errors.add(new FieldError(at + "lines", "at least one line is required"));
            return;
        }
        if (lines.size() > MAX_LINES) {
            errors.add(new FieldError(at + "lines", "at most " + MAX_LINES + " lines per receipt"));
            return;
        }
        for (int j = 0; j < lines.size(); j++) {
            String line = at + "lines[" + j + "].";
            ReceiptLine l = lines.get(j);
            if (l == null) {
                errors.add(new FieldError(at + "lines[" + j + "]", "required"));
                continue;
            }
            text(l.sku(), line + "sku", errors);
            if (l.quantity() <= 0) {
                errors.add(new FieldError(line + "quantity", "must be greater than 0"));
            }
            if (l.unitPriceCents() < 0) {
                errors.add(new FieldError(line + "unitPrice", "must not be negative"));
            }
            if (l.discountCents() < 0) {
                errors.add(new FieldError(line + "discount", "must not be negative"));
            }
            if (l.quantity() > 0 && l.unitPriceCents() >= 0 && l.discountCents() >= 0) {
                Long gross = gross(l);
                if (gross == null) {
                    errors.add(new FieldError(line + "unitPrice", "quantity times price is too large"));
                } else if (l.discountCents() > gross) {
                    errors.add(new FieldError(line + "discount", "is larger than the line's quantity times unit price"));
                }
            }
            if (l.couponCode() != null && l.couponCode().length() > MAX_TEXT) {
                errors.add(new FieldError(line + "couponCode", "longer than " + MAX_TEXT + " characters"));
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
            errors.add(new FieldError(field, "required"));
        } else if (value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "longer than " + MAX_TEXT + " characters"));
        }
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }
}
