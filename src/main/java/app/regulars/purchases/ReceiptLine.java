package app.regulars.purchases;

/**
 * One line of a receipt. Money in cents; {@code discountCents} is the line's total discount, so the
 * line pays {@code quantity * unitPriceCents - discountCents}. {@code name} only names a SKU that
 * the catalog does not know yet.
 */
public record ReceiptLine(String sku, String name, int quantity, long unitPriceCents, long discountCents,
                          String couponCode) {}
