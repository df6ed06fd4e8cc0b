package app.regulars.coupons;

import java.util.List;
import java.util.Set;

/**
 * A basket at the till, before coupons. Amounts in cents.
 *
 * @param storeId the store it is rung up in
 */
record Basket(long storeId, List<Line> lines) {

    /**
     * One line. {@code categories} is the line's category with all its ancestors, so a coupon scoped to
     * "skincare" covers a line in "serums".
     */
    record Line(String sku, Set<String> categories, int quantity, long unitPriceCents, long discountCents) {

        long amount() {
            return quantity * unitPriceCents - discountCents;
        }
    }

    long total() {
        return lines.stream().mapToLong(Line::amount).sum();
    }
}
