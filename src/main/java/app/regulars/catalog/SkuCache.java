package app.regulars.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Known SKUs for a few seconds. WHY: every receipt line names a SKU, and reading them was one database
 * round trip per receipt at the till, where the same few thousand items sell all day. Only committed
 * rows read outside a SKU-writing transaction are kept (a SKU registered by a transaction that then
 * rolls back must never be handed out); writes in this process forget the cache at once and again
 * when they end, writes by another process (an import) show within {@link #TTL}.
 */
final class SkuCache {

    static final Duration TTL = Duration.ofSeconds(5);
    /** A chain's catalogue is tens of thousands of items; beyond this the cache starts afresh. */
    private static final int MAX_ENTRIES = 200_000;

    private record Entry(Sku sku, Instant until) {}

    /** Bound to a transaction that wrote SKUs, so it neither uses nor fills the cache until it ends. */
    private final Object wroteSkus = new Object();
    private final Map<String, Entry> byCode = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Clock clock = Clock.systemUTC();

    /** The SKUs among these codes, from the cache where fresh and from {@code load} for the rest. */
    Map<String, Sku> get(Collection<String> codes, Function<Collection<String>, Map<String, Sku>> load) {
        if (TransactionSynchronizationManager.hasResource(wroteSkus)) {
            return load.apply(codes);
        }
        Instant now = clock.instant();
        Map<String, Sku> found = new HashMap<>();
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String code : codes) {
            Entry e = byCode.get(code);
            if (e != null && now.isBefore(e.until())) {
                found.put(code, e.sku());
            } else {
                missing.add(code);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        long before = generation.get();
        Map<String, Sku> loaded = load.apply(missing);
        found.putAll(loaded);
        if (generation.get() == before && !TransactionSynchronizationManager.hasResource(wroteSkus)) {
            if (byCode.size() + loaded.size() > MAX_ENTRIES) {
                byCode.clear();
            }
            Instant until = now.plus(TTL);
            loaded.forEach((code, sku) -> byCode.put(code, new Entry(sku, until)));
        }
        return found;
    }

    /** Call when writing SKUs: forgets now, and again when the writing transaction ends. */
    void forget() {
        generation.incrementAndGet();
        byCode.clear();
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && !TransactionSynchronizationManager.hasResource(wroteSkus)) {
            TransactionSynchronizationManager.bindResource(wroteSkus, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(wroteSkus);
                    generation.incrementAndGet();
                    byCode.clear();
                }
            });
        }
    }
}
