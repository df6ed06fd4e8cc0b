package app.regulars.purchases;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing a customer did, for the customer 360 timeline: a receipt (sale or refund) with its
 * lines, or an interaction (visit, review, coupon redeemed, …).
 *
 * @param kind        "sale", "refund" or "interaction"
 * @param type        for interactions the interaction type ("visit", "review", …); for receipts the channel
 * @param reference   the receipt number, or the interaction's external id
 * @param original    for a refund, the receipt number it refunds
 * @param detail      interaction facts (never personal data); empty for receipts
 */
public record TimelineEntry(String kind, long id, Instant at, String type, Long storeId, String storeName,
                            String reference, long totalCents, String paymentMethod, String original,
                            String reasonCode, Integer rating, List<Line> lines, Map<String, Object> detail) {

    /**
     * One receipt line as shown on the timeline; {@code skuName} is the product's catalogue name where
     * the timeline is read for a person (the console), null in the API's 360 lookup, which keeps to codes.
     */
    public record Line(String skuCode, int quantity, long amountCents, String couponCode,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String skuName) {}

    public boolean isRefund() {
        return "refund".equals(kind);
    }

    public boolean isReceipt() {
        return !"interaction".equals(kind);
    }
}
