package app.regulars.coupons;

/**
 * How a template did. {@code redeemed} counts coupons currently redeemed (reversed redemptions excluded);
 * {@code revenueCents} sums the totals of the receipts that redeemed them (as the purchases feed reported
 * them, net of refunds); {@code costCents} is the discount given plus the value of gifts handed over.
 */
public record TemplateStats(long templateId, String name, long issued, long redeemed, long revenueCents,
                            long costCents, long issuedFaceCents) {

    /** Redeemed per issued, 0 to 1; 0 when none was issued. */
    public double redemptionRate() {
        return issued == 0 ? 0 : (double) redeemed / issued;
    }
}
