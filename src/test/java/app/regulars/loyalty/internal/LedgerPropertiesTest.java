package app.regulars.loyalty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.loyalty.PointsLedger;
import app.regulars.loyalty.internal.Ledger.NewLot;
import app.regulars.loyalty.internal.Ledger.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestContextManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Random sequences of earn, spend, expire and refund against the real ledger in PostgreSQL, compared
 * with a model of lots in memory: the balance is always the sum of the ledger, never below the
 * policy's floor, every lot holds what the model says, and no lot gives more than it had.
 *
 * <p>jqwik runs outside Spring's JUnit extension, so the shared application context is fetched
 * through Spring's {@link TestContextManager} (the same cached context the other tests use).
 */
class LedgerPropertiesTest extends IntegrationTest {

    private static final AtomicLong CUSTOMERS = new AtomicLong(-9_000_000_000L - ThreadLocalRandom.current().nextInt(1_000_000) * 1000L);
    private static final Instant START = Instant.parse("2026-01-01T02:00:00Z");

    @Autowired Ledger ledger;
    @Autowired PointsLedger points;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcTemplate jdbc;

    sealed interface Step permits Earn, Spend, Expire, Refund {}

    /** Points earned on a receipt, pending for some days, expiring after some more (or never). */
    record Earn(int points, int pendingDays, Integer expiresInDays) implements Step {}

    record Spend(int points) implements Step {}

    /** Time passes and the expiry run comes by. */
    record Expire(int days) implements Step {}

    /** A refund of a share (in percent) of an earlier earning, picked by position. */
    record Refund(int which, int percent) implements Step {}

    @BeforeProperty
    void springContext() throws Exception {
        new TestContextManager(LedgerPropertiesTest.class).prepareTestInstance(this);
    }

    @Property(tries = 40, seed = "20261129")
    void recordPolicyKeepsTheBalanceAtTheLedgerSumAndNeverBelowZero(@ForAll("steps") List<Step> steps) {
        run(steps, false);
    }

    @Property(tries = 40, seed = "20261130")
    void negativePolicyKeepsTheBooksBalancedWithDebtRepaidByLaterEarnings(@ForAll("steps") List<Step> steps) {
        run(steps, true);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> earn = Combinators.combine(Arbitraries.integers().between(1, 500), Arbitraries.integers().between(0, 10),
                Arbitraries.integers().between(1, 60).injectNull(0.3)).as(Earn::new);
        Arbitrary<Step> spend = Arbitraries.integers().between(1, 600).map(Spend::new);
        Arbitrary<Step> expire = Arbitraries.integers().between(1, 30).map(Expire::new);
        Arbitrary<Step> refund = Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(1, 100))
                .as(Refund::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, earn), net.jqwik.api.Tuple.of(4, spend),
                net.jqwik.api.Tuple.of(2, expire), net.jqwik.api.Tuple.of(2, refund)).list().ofMinSize(1).ofMaxSize(25);
    }

    private void run(List<Step> steps, boolean allowNegative) {
        long customer = CUSTOMERS.decrementAndGet();
        Model model = new Model();
        Instant now = START;
        List<long[]> earnings = new ArrayList<>(); // receipt id, points still reversible
        int n = 0;
        for (Step step : steps) {
            n++;
            Instant at = now;
            String key = "prop:" + customer + ":" + n;
            switch (step) {
                case Earn e -> {
                    long receipt = customer * 100 - n;
                    Instant available = at.plus(Duration.ofDays(e.pendingDays()));
                    Instant expires = e.expiresInDays() == null ? null : available.plus(Duration.ofDays(e.expiresInDays()));
                    long lot = tx.execute(s -> ledger.credit(customer, "earn", "prop", key, receipt, at,
                            List.of(new NewLot(e.points(), available, expires)), Map.of(), "test")).entryId();
                    model.earn(lot, e.points(), receipt, available, expires);
                    earnings.add(new long[] {receipt, e.points()});
                }
                case Spend s -> {
                    boolean spent = tx.execute(t -> ledger.debit(customer, "spend", s.points(), "prop", key, null, at,
                            Source.SPENDABLE, Map.of(), "test")).isPresent();
                    assertThat(spent).as("spend %d with %d spendable", s.points(), model.spendable(at))
                            .isEqualTo(model.spend(s.points(), at));
                }
                case Expire x -> {
                    now = now.plus(Duration.ofDays(x.days()));
                    Instant later = now;
                    long expired = tx.execute(t -> ledger.expire(customer, later));
                    assertThat(expired).isEqualTo(model.expire(later));
                }
                case Refund r -> {
                    if (earnings.isEmpty()) {
                        continue;
                    }
                    long[] earning = earnings.get(r.which() % earnings.size());
                    long share = Math.max(1, earning[1] * r.percent() / 100);
                    if (earning[1] == 0) {
                        continue;
                    }
                    share = Math.min(share, earning[1]);
                    earning[1] -= share;
                    long owed = share;
                    Ledger.Reversed done = tx.execute(t -> ledger.reverse(customer, owed, "prop", key, earning[0], at,
                            allowNegative, Map.of()));
                    model.reverse(owed, earning[0], allowNegative);
                    assertThat(done.taken()).isEqualTo(model.lastTaken);
                }
            }
            now = now.plus(Duration.ofHours(7));
            check(customer, model, allowNegative);
        }
    }

    private void check(long customer, Model model, boolean allowNegative) {
        PointsLedger.Verification v = points.verify(customer);
        assertThat(v.problems()).isEmpty();
        long balance = jdbc.queryForObject("select balance from points_account where customer_id = ?", Long.class, customer);
        long sum = jdbc.queryForObject("select coalesce(sum(points), 0) from points_entry where customer_id = ?", Long.class, customer);
        assertThat(balance).isEqualTo(sum).isEqualTo(model.balance());
        if (!allowNegative) {
            assertThat(balance).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(balance).isGreaterThanOrEqualTo(-model.debt);
        }
        for (Model.Lot lot : model.lots) {
            long remaining = jdbc.queryForObject("select remaining from points_lot where entry_id = ?", Long.class, lot.entry);
            assertThat(remaining).as("lot of entry %d", lot.entry).isEqualTo(lot.remaining);
        }
        long overdrawn = jdbc.queryForObject("""
                select count(*) from points_lot l where customer_id = ?
                  and (select coalesce(sum(points), 0) from points_allocation a where a.lot_id = l.id) > l.points""",
                Long.class, customer);
        assertThat(overdrawn).as("lots spent more than once").isZero();
    }

    /** The ledger's drawing rules, in memory. */
    private static final class Model {
        final List<Lot> lots = new ArrayList<>();
        long debt;
        long booked;
        long lastTaken;

        static final class Lot {
            final long entry;
            final long receipt;
            final Instant available;
            final Instant expires;
            long remaining;

            Lot(long entry, long points, long receipt, Instant available, Instant expires) {
                this.entry = entry;
                this.remaining = points;
                this.receipt = receipt;
                this.available = available;
                this.expires = expires;
            }
        }

        long balance() {
            return booked;
        }

        void earn(long entry, long points, long receipt, Instant available, Instant expires) {
            Lot lot = new Lot(entry, points, receipt, available, expires);
            lots.add(lot);
            booked += points;
            long repay = Math.min(debt, points);
            lot.remaining -= repay;
            debt -= repay;
        }

        long spendable(Instant at) {
            return usable(at).stream().mapToLong(l -> l.remaining).sum() - debt;
        }

        boolean spend(long points, Instant at) {
            if (spendable(at) < points) {
                return false;
            }
            take(usable(at), points);
            booked -= points;
            return true;
        }

        long expire(Instant at) {
            long expired = 0;
            for (Lot l : lots) {
                if (l.expires != null && !l.expires.isAfter(at) && l.remaining > 0) {
                    expired += l.remaining;
                    l.remaining = 0;
                }
            }
            booked -= expired;
            return expired;
        }

        void reverse(long points, long receipt, boolean allowNegative) {
            List<Lot> order = lots.stream().filter(l -> l.remaining > 0)
                    .sorted(Comparator.comparing((Lot l) -> l.receipt != receipt).thenComparing(byExpiry())).toList();
            long available = order.stream().mapToLong(l -> l.remaining).sum();
            long taken = Math.min(points, available);
            take(order, taken);
            lastTaken = taken;
            if (allowNegative) {
                debt += points - taken;
                booked -= points;
            } else {
                booked -= taken;
            }
        }

        private List<Lot> usable(Instant at) {
            return lots.stream().filter(l -> l.remaining > 0 && !l.available.isAfter(at)
                    && (l.expires == null || l.expires.isAfter(at))).sorted(byExpiry()).toList();
        }

        private static Comparator<Lot> byExpiry() {
            return Comparator.comparing((Lot l) -> l.expires, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(l -> l.entry);
        }

        private static void take(List<Lot> order, long points) {
            long left = points;
            for (Lot l : order) {
                long t = Math.min(left, l.remaining);
                l.remaining -= t;
                left -= t;
            }
            Optional.of(left).filter(x -> x == 0).orElseThrow();
        }
    }
}
