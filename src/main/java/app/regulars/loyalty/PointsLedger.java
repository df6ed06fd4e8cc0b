package app.regulars.loyalty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A customer's points as the console and the API show and change them. */
public interface PointsLedger {

    /** Balance, pending, debt, shortfall, tier and qualification of a customer. */
    Account account(long customerId);

    /** The newest entries first, with the lots each spend drew from. */
    List<Entry> entries(long customerId, int limit);

    /**
     * A manual adjustment with a reason: positive adds a lot, negative takes points (any lot, pending
     * included) and is refused when the balance is short. Idempotent on the key.
     */
    Entry adjust(long customerId, long points, String reason, String idempotencyKey);

    /** Spends a gift's price and takes one from its stock, or neither. Idempotent on the key. */
    GiftRedeemed redeemGift(long customerId, String giftCode, String idempotencyKey);

    /** Exchanges points for a coupon through {@link CouponExchange}; idempotent on the key. */
    CouponExchanged exchangeForCoupon(long customerId, String templateCode, String idempotencyKey);

    /** Cash offset at the till: points off a basket, idempotent on the till's transaction. */
    CashRedeemed redeemCash(CashRedemption redemption);

    /** Sets a tier by hand until the given time (then the qualified tier applies again). */
    void setManualTier(long customerId, String tierCode, Instant until, String reason);

    /** Proves the ledger: balance = sum of entries, lots = balance + debt, no lot overspent. */
    Verification verify(Long customerIdOrNullForAll);

    record Account(long customerId, long balance, long spendable, long pending, long debt, long shortfall,
                   long expiringSoon, String tierCode, String tierName, Instant tierSince, String reviewOn,
                   Instant manualTierUntil, long qualifyingSpendCents, long qualifyingPoints, String nextTierName,
                   long toNextTier) {}

    record Entry(long id, String kind, long points, String reason, Long receiptId, String actor, Instant occurredAt,
                 Map<String, Object> detail, List<Draw> draws) {}

    /** How much of which lot an entry took. */
    record Draw(long lotId, long points) {}

    record GiftRedeemed(long entryId, String giftCode, long points, int stockLeft, long balance, boolean replayed) {}

    record CouponExchanged(long entryId, String templateCode, long points, String couponRef, boolean replayed) {}

    /**
     * @param points       points to take, or null to take as many as the caps allow for the basket
     * @param basketCents  the basket's amount after discounts, the base of the per-basket cap
     */
    record CashRedemption(long customerId, String source, String transactionId, Long points, long basketCents) {}

    record CashRedeemed(long customerId, String source, String transactionId, long points, long cents, long balance,
                        boolean replayed) {}

    /** What the ledger check found; {@code problems} empty means the books balance. */
    record Verification(long accounts, long entries, long lots, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }
}
