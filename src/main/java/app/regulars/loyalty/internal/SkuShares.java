package app.regulars.loyalty.internal;

import app.regulars.loyalty.internal.EarningRules.Outcome;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;

/**
 * What a receipt earned per SKU and how much of each SKU refunds took back, as kept on its
 * receipt_earning row: position i of each array is one SKU of the receipt. Refunds reverse exactly
 * their share of it (docs/decisions/0013).
 *
 * @param skuIds        the receipt's SKUs, each once
 * @param amountCents   what the receipt paid for each SKU (lines of one SKU summed, never below 0)
 * @param pointsMilli   thousandths of a point each SKU earned
 * @param refundedCents what refunds took back of each SKU, at most its amount
 */
record SkuShares(long[] skuIds, long[] amountCents, long[] pointsMilli, long[] refundedCents) {

    /** A receipt's shares as just earned: nothing refunded. */
    static SkuShares earned(Outcome o) {
        int n = o.amountBySku().size();
        long[] skus = new long[n];
        long[] amounts = new long[n];
        long[] milli = new long[n];
        int i = 0;
        for (Map.Entry<Long, Long> sku : o.amountBySku().entrySet()) {
            skus[i] = sku.getKey();
            amounts[i] = sku.getValue();
            milli[i++] = o.milliBySku().getOrDefault(sku.getKey(), 0L);
        }
        return new SkuShares(skus, amounts, milli, new long[n]);
    }

    /** Reads the columns sku_ids, sku_amount_cents, sku_points_milli, sku_refunded_cents (null: nothing refunded). */
    static SkuShares read(ResultSet rs) throws SQLException {
        long[] skus = longs(rs.getArray("sku_ids"));
        long[] refunded = rs.getArray("sku_refunded_cents") == null ? new long[skus.length]
                : longs(rs.getArray("sku_refunded_cents"));
        return new SkuShares(skus, longs(rs.getArray("sku_amount_cents")), longs(rs.getArray("sku_points_milli")), refunded);
    }

    /** After refunding {@code cents} of a SKU: capped at what the receipt paid for it; a SKU it did not sell is ignored. */
    SkuShares refund(long skuId, long cents) {
        long[] refunded = refundedCents.clone();
        for (int i = 0; i < skuIds.length; i++) {
            if (skuIds[i] == skuId) {
                refunded[i] = Math.min(amountCents[i], refunded[i] + Math.max(0, cents));
            }
        }
        return new SkuShares(skuIds, amountCents, pointsMilli, refunded);
    }

    /**
     * The points all refunds so far take back: thousandths earned per SKU times the refunded share of
     * that SKU, rounded down once; exactly {@code earned} once every SKU is refunded, whatever the rounding.
     */
    long reversalTarget(long earned) {
        BigInteger milli = BigInteger.ZERO;
        boolean all = true;
        for (int i = 0; i < skuIds.length; i++) {
            if (refundedCents[i] < amountCents[i]) {
                all = false;
            }
            if (amountCents[i] > 0) {
                milli = milli.add(BigInteger.valueOf(pointsMilli[i]).multiply(BigInteger.valueOf(refundedCents[i]))
                        .divide(BigInteger.valueOf(amountCents[i])));
            }
        }
        if (all) {
            return earned;
        }
        return Math.min(earned, milli.divide(BigInteger.valueOf(1000)).longValueExact());
    }

    private static long[] longs(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).mapToLong(v -> ((Number) v).longValue()).toArray();
    }
}
