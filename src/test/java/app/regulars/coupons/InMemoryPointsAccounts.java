package app.regulars.coupons;

import app.regulars.loyalty.PointsAccounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * TEST ONLY, until the loyalty branch (which implements {@link PointsAccounts} over its ledger) is merged:
 * then delete this class. Balances in memory, idempotent on the key like the real one. Component-scanned
 * from the test classpath so every test shares one Spring context.
 */
@Component
public class InMemoryPointsAccounts implements PointsAccounts {

    private final Map<Long, Long> balances = new ConcurrentHashMap<>();
    private final Map<String, Boolean> done = new ConcurrentHashMap<>();

    @Override
    public synchronized void award(long customerId, long points, String reason, String idempotencyKey) {
        if (done.putIfAbsent(idempotencyKey, true) == null) {
            balances.merge(customerId, points, Long::sum);
        }
    }

    @Override
    public synchronized boolean spend(long customerId, long points, String reason, String idempotencyKey) {
        if (done.containsKey(idempotencyKey)) {
            return true;
        }
        if (balances.getOrDefault(customerId, 0L) < points) {
            return false; // nothing written, as the real ledger
        }
        balances.merge(customerId, -points, Long::sum);
        done.put(idempotencyKey, true);
        return true;
    }

    @Override
    public long spendable(long customerId) {
        return balances.getOrDefault(customerId, 0L);
    }
}
