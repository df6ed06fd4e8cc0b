package app.regulars.purchases.web;

import app.regulars.customers.Identity;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/v1/receipts}: one receipt, or {@code {"receipts": [...]}}. Money in
 * yuan (decimal strings or numbers), converted to cents exactly.
 */
record ReceiptsRequest(String source, String receiptNo, String kind, Identity customer, String storeCode,
                       String purchasedAt, String channel, String paymentMethod, String staffCode,
                       List<LineJson> lines, String originalReceiptNo, String reasonCode,
                       List<ReceiptsRequest> receipts) {

    record LineJson(String sku, String name, BigDecimal quantity, BigDecimal unitPrice, BigDecimal discount,
                    String couponCode) {}

    boolean isBatch() {
        return receipts != null;
    }

    boolean hasReceiptFields() {
        return source != null || receiptNo != null || kind != null || customer != null || storeCode != null
                || purchasedAt != null || channel != null || paymentMethod != null || staffCode != null
                || lines != null || originalReceiptNo != null || reasonCode != null;
    }

    /** The receipt as a draft; each amount that is not exact and each unreadable time is added to {@code errors}. */
    ReceiptDraft draft(String at, Timestamps times, List<FieldError> errors) {
        if (receipts != null) {
            errors.add(new FieldError(at + "receipts", "receipts cannot be nested"));
        }
        List<ReceiptLine> converted = null;
        if (lines != null) {
            converted = new ArrayList<>(lines.size());
            for (int j = 0; j < lines.size(); j++) {
                converted.add(line(lines.get(j), at + "lines[" + j + "].", errors));
            }
        }
        return new ReceiptDraft(source, receiptNo, kind, customer, storeCode,
                times.parse(purchasedAt, storeCode, at + "purchasedAt", errors), channel, paymentMethod, staffCode, converted,
                originalReceiptNo, reasonCode);
    }

    private static ReceiptLine line(LineJson l, String at, List<FieldError> errors) {
        if (l == null) {
            return null;
        }
        Integer quantity = Money.quantity(l.quantity(), at + "quantity", errors);
        Long price = Money.cents(l.unitPrice(), at + "unitPrice", true, errors);
        Long discount = Money.cents(l.discount(), at + "discount", false, errors);
        return new ReceiptLine(l.sku(), l.name(), quantity == null ? 0 : quantity, price == null ? 0 : price,
                discount == null ? 0 : discount, l.couponCode());
    }
}
