package app.regulars.loyalty;

/**
 * What a till (and the coupons quote) needs to know of a member: tier, its discount and the points
 * that can be spent now.
 *
 * @param discountBasisPoints the tier's discount, 500 = 5 % off
 * @param spendable           points available now (pending points and debt excluded)
 * @param pending             points still locked in a return window
 * @param balance             the sum of the customer's ledger (spendable + pending, minus any debt)
 * @param cashPointsPerYuan   how many points make ¥1 at the till
 */
public record MemberStatus(long customerId, String tierCode, String tierName, int discountBasisPoints,
                           long spendable, long pending, long balance, int cashPointsPerYuan) {}
