package app.regulars.insights;

import java.time.LocalDate;
import java.util.List;

/**
 * One customer's figures as the insights index sees them now: the rule catalogue's metrics, RFM
 * scores and segment, and what they buy where (by category and store) and how they interact. Money in
 * cents; null where the customer has no value (no purchases, fewer than two purchase days for a
 * cycle, …).
 */
public record CustomerInsights(
        long customerId,
        Integer daysSinceLastPurchase,
        Integer daysSinceFirstPurchase,
        int tenureDays,
        int frequency,
        long monetaryCents,
        Long averageOrderCents,
        LocalDate firstPurchaseDate,
        LocalDate lastPurchaseDate,
        Double repurchaseCycleDays,
        LocalDate nextExpectedPurchaseDate,
        Double discountRate,
        Double couponRedemptionRate,
        Double returnsRate,
        int activeMonths,
        String preferredPayment,
        String preferredChannel,
        String preferredStore,
        Double holidayShare,
        Integer rScore,
        Integer fScore,
        Integer mScore,
        String rfmSegment,
        List<CategoryFigures> categories,
        List<StoreFigures> stores,
        List<InteractionCount> interactions) {

    /**
     * Net spend on a category's lines (sales less refunds), the sale receipts with a line in it and the
     * last of their days, and its share of the net spend of all lines (null when that is not positive).
     * {@code category} is the line's own code, null for lines with none.
     */
    public record CategoryFigures(String category, int orders, long spentCents, LocalDate lastPurchaseDate,
                                  Double share) {}

    /** The same by the store of the receipts; shares of the net spend of all receipts. */
    public record StoreFigures(String store, int orders, long spentCents, LocalDate lastPurchaseDate, Double share) {}

    /** Interactions of one type: all of them, and those of the last 90 days (today included). */
    public record InteractionCount(String type, int total, int recent) {}
}
