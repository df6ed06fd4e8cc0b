package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resolution sits on the import path (50,000 lines/s) and the till (2,000 receipts/s): a batch must
 * cost a few round trips, not one per identity. Prints new/s and known/s (a per-row implementation is
 * an order of magnitude slower); timings are no pass/fail threshold on a shared 2-core machine, so
 * this is tagged bench: {@code ./regulars test -Dsurefire.excludedGroups= -Dgroups=bench}.
 */
@Tag("bench")
class IdentityResolutionThroughputTest extends IntegrationTest {

    private static final int BATCH = 1000;
    private static final int BATCHES = 10;

    @Autowired Customers customers;
    @Autowired TransactionTemplate tx;

    @Test
    void batchesOfAThousandIdentitiesResolveInAFewRoundTrips() {
        List<List<Identity>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<Identity> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(i % 3 == 0 ? Identity.ofCard(TestPhones.freshCard()) : Identity.ofPhone(TestPhones.fresh()));
            }
            batches.add(batch);
        }
        customers.resolveOrCreateAll(List.of(Identity.ofPhone(TestPhones.fresh())), null, "warm-up");

        long created = time(batches);
        long known = time(batches);
        double createdPerSecond = BATCH * BATCHES * 1e9 / created;
        double knownPerSecond = BATCH * BATCHES * 1e9 / known;
        System.out.printf("identity resolution: %.0f new/s, %.0f known/s (batches of %d)%n",
                createdPerSecond, knownPerSecond, BATCH);
        assertThat(customers.findAll(batches.getFirst())).hasSize(BATCH);
    }

    private long time(List<List<Identity>> batches) {
        long start = System.nanoTime();
        for (List<Identity> batch : batches) {
            Map<Identity, Long> ids = tx.execute(s -> customers.resolveOrCreateAll(batch, null, "import"));
            assertThat(ids).hasSize(batch.size());
        }
        return System.nanoTime() - start;
    }
}
