package app.regulars.insights.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the loyalty and coupon modules know of each customer, by ordinal, for the rule facts
 * {@code tier}, {@code points_balance}, {@code points_expiring(…)}, {@code coupons_unused} and
 * {@code coupon_redeemed(…)}. Unlike receipts these rows change in place (a spend lowers a lot's
 * remainder, a refund makes a coupon usable again), so a customer's rows are replaced whole whenever
 * the feed says something happened to them. Instants are epoch seconds; they become days in the
 * customer's timezone when a rule is evaluated, because the timezone follows the home store.
 */
final class LoyaltyColumns {

    /** Marks a coupon that has not been redeemed (or whose redemption a refund reversed). */
    static final long NOT_REDEEMED = Long.MIN_VALUE;

    /** Tier codes; 0: the customer has no points account (the lowest tier applies). */
    final Dictionary tiers = new Dictionary(Integer.MAX_VALUE - 1);
    int[] tier;
    long[] balance;
    /** Per customer: pairs (expires at, remaining points) of the open lots that expire. */
    long[][] lots;
    /** Per customer: triples (template id, valid until, redeemed at or {@link #NOT_REDEEMED}). */
    long[][] coupons;

    LoyaltyColumns(int capacity) {
        tier = new int[capacity];
        balance = new long[capacity];
        lots = new long[capacity][];
        coupons = new long[capacity][];
    }

    void ensureCustomers(int n) {
        if (n > tier.length) {
            int capacity = Math.max(n, tier.length * 3 / 2 + 16);
            tier = Arrays.copyOf(tier, capacity);
            balance = Arrays.copyOf(balance, capacity);
            lots = Arrays.copyOf(lots, capacity);
            coupons = Arrays.copyOf(coupons, capacity);
        }
    }

    /** One customer's rows as read from the database. */
    record Member(String tierCode, long balance, long[] lots, long[] coupons) {
        static final Member NONE = new Member(null, 0, null, null);
    }

    void set(int c, Member m) {
        tier[c] = m.tierCode() == null ? 0 : tiers.code(m.tierCode());
        balance[c] = m.balance();
        lots[c] = m.lots();
        coupons[c] = m.coupons();
    }

    /**
     * Reads the loyalty rows of some customers ({@code only}; null: everyone) and hands each customer's
     * to {@code into}; customers without any get nothing.
     */
    static void read(Connection c, Set<Long> only, BiConsumer<Long, Member> into) throws SQLException {
        String where = only == null ? "true" : "customer_id = any(" + FeedTail.ids(only) + ")";
        Map<Long, String> tierOf = new HashMap<>();
        Map<Long, Long> balanceOf = new HashMap<>();
        query(c, "select customer_id, tier_code, balance from points_account where " + where, rs -> {
            tierOf.put(rs.getLong(1), rs.getString(2));
            balanceOf.put(rs.getLong(1), rs.getLong(3));
        });
        Map<Long, Growable.Longs> lotsOf = new HashMap<>();
        query(c, """
                select customer_id, floor(extract(epoch from expires_at))::int8, remaining from points_lot
                where remaining > 0 and expires_at is not null and %s order by customer_id, expires_at, id"""
                .formatted(where), rs -> {
            Growable.Longs l = lotsOf.computeIfAbsent(rs.getLong(1), k -> new Growable.Longs(4));
            l.add(rs.getLong(2));
            l.add(rs.getLong(3));
        });
        Map<Long, Growable.Longs> couponsOf = new HashMap<>();
        query(c, """
                select k.customer_id, k.template_id, floor(extract(epoch from k.valid_until))::int8,
                       case when k.status = 'redeemed' then floor(extract(epoch from r.redeemed_at))::int8 end
                from coupon k left join coupon_redemption r on r.id = k.redemption_id
                where %s order by k.customer_id, k.id""".formatted(only == null ? "true" : "k." + where), rs -> {
            Growable.Longs l = couponsOf.computeIfAbsent(rs.getLong(1), k -> new Growable.Longs(6));
            l.add(rs.getLong(2));
            l.add(rs.getLong(3));
            long redeemed = rs.getLong(4);
            l.add(rs.wasNull() ? NOT_REDEEMED : redeemed);
        });
        Set<Long> customers = new HashSet<>(tierOf.keySet());
        customers.addAll(lotsOf.keySet());
        customers.addAll(couponsOf.keySet());
        for (long id : customers) {
            into.accept(id, new Member(tierOf.get(id), balanceOf.getOrDefault(id, 0L), trimmed(lotsOf.get(id)),
                    trimmed(couponsOf.get(id))));
        }
    }

    private static long[] trimmed(Growable.Longs rows) {
        return rows == null ? null : Arrays.copyOf(rows.a, rows.size);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }
}
