package app.regulars.loyalty.internal;

import static app.regulars.loyalty.LoyaltyFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.loyalty.LoyaltyFixtures;
import app.regulars.loyalty.PointsAccounts;
import app.regulars.loyalty.PointsLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Spends racing for one balance serialise on the customer's account: never overspent, one effect per key. */
class PointsConcurrencyTest extends IntegrationTest {

    @Autowired PointsAccounts accounts;
    @Autowired PointsLedger ledger;
    @Autowired Customers customers;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aHundredConcurrentSpendsNeverOverspendOneBalance() throws Exception {
        long customer = customerWith(500);

        List<Boolean> results = race(100, i -> accounts.spend(customer, 7, "draw", unique("spend")));

        long succeeded = results.stream().filter(b -> b).count();
        assertThat(succeeded).isEqualTo(500 / 7);
        assertThat(accounts.spendable(customer)).isEqualTo(500 - 7 * succeeded).isGreaterThanOrEqualTo(0);
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    @Test
    void aSpendRetriedConcurrentlyWithTheSameKeyTakesThePointsOnce() throws Exception {
        long customer = customerWith(100);
        String key = unique("draw");

        List<Boolean> results = race(20, i -> accounts.spend(customer, 30, "draw", key));

        assertThat(results).containsOnly(true);
        assertThat(accounts.spendable(customer)).isEqualTo(70);
        assertThat(jdbc.queryForObject("select count(*) from points_entry where customer_id = ? and kind = 'spend'",
                Integer.class, customer)).isEqualTo(1);
    }

    @Test
    void anAwardRetriedWithTheSameKeyAddsThePointsOnce() throws Exception {
        long customer = customerWith(1);
        String key = unique("prize");

        race(10, i -> {
            accounts.award(customer, 50, "draw prize", key);
            return true;
        });

        assertThat(ledger.account(customer).balance()).isEqualTo(51);
    }

    @Test
    void aGiftRedeemedTwiceWithOneKeyTakesOneFromStockAndPointsOnce() throws Exception {
        long customer = customerWith(1000);
        String gift = unique("GIFT");
        jdbc.update("insert into gift (code, name, points_price, stock) values (?, 'mug', 300, 5)", gift);
        String key = unique("g");

        List<Boolean> replays = race(10, i -> ledger.redeemGift(customer, gift, key).replayed());

        assertThat(replays.stream().filter(r -> !r).count()).isEqualTo(1);
        assertThat(ledger.account(customer).balance()).isEqualTo(700);
        assertThat(jdbc.queryForObject("select stock from gift where code = ?", Integer.class, gift)).isEqualTo(4);
    }

    private long customerWith(long points) {
        long customer = customers.resolveOrCreate(Identity.ofPhone(LoyaltyFixtures.phone()), null, null);
        accounts.award(customer, points, "test", unique("seed"));
        return customer;
    }

    private static List<Boolean> race(int calls, java.util.function.IntFunction<Boolean> call) throws Exception {
        List<Boolean> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                futures.add(pool.submit(() -> call.apply(n)));
            }
            for (Future<Boolean> f : futures) {
                results.add(f.get());
            }
        }
        return results;
    }
}
