package app.regulars.purchases;

import java.time.YearMonth;

/** A customer's receipts of one calendar month: sales (count and amount) and what was paid back. */
public record MonthlySpend(YearMonth month, int orders, long spendCents, long refundCents) {

    /** What the month's sales came to after its refunds; negative when a refund outweighed them. */
    public long netCents() {
        return spendCents - refundCents;
    }
}
