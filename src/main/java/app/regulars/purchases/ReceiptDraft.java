package app.regulars.purchases;

import app.regulars.customers.Identity;
import java.time.Instant;
import java.util.List;

/**
 * A receipt as a POS, an import or the console sends it. Idempotent on (source, receiptNo). A
 * {@code kind} of "refund" returns (part of) the receipt {@code originalReceiptNo} of the same source,
 * with a {@code reasonCode} (size, quality, changed_mind, damaged, other); its lines carry positive
 * quantities of what goes back. A null or empty customer identity records an anonymous receipt.
 */
public record ReceiptDraft(String source, String receiptNo, String kind, Identity customer, String storeCode,
                           Instant purchasedAt, String channel, String paymentMethod, String staffCode,
                           List<ReceiptLine> lines, String originalReceiptNo, String reasonCode) {

    public static final String SALE = "sale";
    public static final String REFUND = "refund";
}
