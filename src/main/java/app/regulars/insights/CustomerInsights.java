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
        List<SpendFigures> categories,
        List<SpendFigures> stores,
        List<InteractionCount> interactions) {

    /**
     * What the customer spent on one category's lines (the line's own code; null for lines with none),
     * or at one store ({@code code} the store's): net of refunds, the sale receipts with such a line (or
     * at that store), the last of their days and how many days ago that was, and the share of the net
     * spend of all lines (or all receipts); null when that total is not positive.
     */
    public record SpendFigures(String code, int orders, long spentCents, LocalDate lastPurchaseDate,
                               Integer daysSinceLastPurchase, Double share) {}

    /** Interactions of one type: all of them, and those of the last 90 days (today included). */
    public record InteractionCount(String type, int total, int recent) {}
}
