package app.regulars.insights;

import java.time.LocalDate;

/**
 * One customer's figures as the insights index sees them now: the rule catalogue's metrics, RFM
 * scores and segment. Money in cents; null where the customer has no value (no purchases, fewer
 * than two purchase days for a cycle, …).
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
        String rfmSegment) {}
