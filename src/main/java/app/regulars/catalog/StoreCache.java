package app.regulars.catalog;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * All stores in memory: every receipt names its store, and a chain has hundreds of stores, not
 * millions. Safe against the usual cache races: a load that overlapped a store write is never
 * kept, a transaction that wrote stores reads its own writes, and a code unknown to the cache is
 * looked up once in the database (another process, such as an import, may have added it).
 */
final class StoreCache {

    private record Snapshot(Map<String, Store> byCode, Map<Long, Store> byId, List<Store> all) {}

    /** Bound to a transaction that wrote stores, so it bypasses the cache until it ends. */
    private final Object wroteStores = new Object();

    private final JdbcClient db;
    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot snapshot;

    StoreCache(JdbcClient db) {
        this.db = db;
    }

    Optional<Store> byCode(String code) {
        Store store = current().byCode().get(code);
        if (store != null) {
            return Optional.of(store);
        }
        Optional<Store> stored = db.sql(SELECT + " where code = ?").param(code).query(StoreCache::store).optional();
        // Another process added it: reload on the next call. Not a write of ours, so the caller's
        // transaction keeps using the cache.
        stored.ifPresent(s -> {
            generation.incrementAndGet();
            snapshot = null;
        });
        return stored;
    }

    Optional<Store> byId(long id) {
        return Optional.ofNullable(current().byId().get(id));
    }

    List<Store> all() {
        return current().all();
    }

    /** Call after writing stores: forgets now, and again when the writing transaction ends. */
    void forget() {
        generation.incrementAndGet();
        snapshot = null;
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && !TransactionSynchronizationManager.hasResource(wroteStores)) {
            TransactionSynchronizationManager.bindResource(wroteStores, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(wroteStores);
                    generation.incrementAndGet();
                    snapshot = null;
                }
            });
        }
    }

    private Snapshot current() {
        boolean ownWrites = TransactionSynchronizationManager.hasResource(wroteStores);
        Snapshot cached = snapshot;
        if (cached != null && !ownWrites) {
            return cached;
        }
        long before = generation.get();
        List<Store> all = db.sql(SELECT + " order by code").query(StoreCache::store).list();
        Map<String, Store> byCode = new HashMap<>();
        Map<Long, Store> byId = new HashMap<>();
        all.forEach(s -> {
            byCode.put(s.code(), s);
            byId.put(s.id(), s);
        });
        Snapshot loaded = new Snapshot(Map.copyOf(byCode), Map.copyOf(byId), List.copyOf(all));
        if (!ownWrites && generation.get() == before) {
            snapshot = loaded;
        }
        return loaded;
    }

    private static final String SELECT = "select id, code, name, region, city, timezone from store";

    private static Store store(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Store(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("region"),
                rs.getString("city"), ZoneId.of(rs.getString("timezone")));
    }
}
