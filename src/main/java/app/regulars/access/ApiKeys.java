package app.regulars.access;

import app.regulars.platform.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keys for POS, ERP and e-commerce systems: 32 random bytes, base64url, behind a readable {@code rk_}
 * prefix. Only the SHA-256 of a key is stored, so a leaked database does not leak working keys; a
 * key is shown once when issued and can be revoked at any time.
 */
@Component
public class ApiKeys {

    static final String KEY_PREFIX = "rk_";
    /** "rk_" and 8 characters of the key: enough to tell keys apart in a list, useless to an attacker. */
    private static final int SHOWN_PREFIX_LENGTH = KEY_PREFIX.length() + 8;
    /** last_used_at is a hint for people, so a busy till does not have to write it on every call. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Audit audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Instant> lastUseWritten = new ConcurrentHashMap<>();
    /**
     * Presented keys by hash, for a few seconds. WHY: looking the key up was one database round trip on
     * every API call, a good part of a receipt's cost at the till. A revoke in this process clears the
     * cache at once; another process (a second server on the same database) sees it within the TTL.
     */
    private final Map<String, Cached> presentedKeys = new ConcurrentHashMap<>();
    static final Duration PRESENTED_KEY_TTL = Duration.ofSeconds(5);
    /** Only keys we issued are cached, so this bounds nothing but a key storm; a safety valve all the same. */
    private static final int MAX_CACHED_KEYS = 10_000;

    private record Cached(ApiKey key, Instant until) {}

    ApiKeys(JdbcClient jdbc, Audit audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Issues a key and returns it in plain text — the only time anyone sees it.
     *
     * @param storeIds the stores it may use; empty for all stores
     */
    @Transactional
    public String issue(String name, Set<Long> storeIds) {
        return issueAs(Callers.current().name(), name, storeIds);
    }

    String issueAs(String actor, String name, Set<Long> storeIds) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw ApiProblem.badRequest("name", "must be 1 to 100 characters");
        }
        for (Long id : storeIds) {
            if (id == null || id <= 0) {
                throw ApiProblem.badRequest("storeIds", "store ids are positive numbers");
            }
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Long[] stores = storeIds.isEmpty() ? null : new TreeSet<>(storeIds).toArray(Long[]::new);
        long id = jdbc.sql("""
                insert into api_key (name, prefix, key_hash, store_ids, created_by, created_at)
                values (:name, :prefix, :hash, :stores, :actor, :now) returning id""")
                .param("name", trimmed)
                .param("prefix", key.substring(0, SHOWN_PREFIX_LENGTH))
                .param("hash", hash(key))
                .param("stores", stores)
                .param("actor", actor)
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class).single();
        audit.recordAs(actor, "api-key.issued", "api_key", Long.toString(id),
                Map.of("allStores", stores == null, "storeIds", stores == null ? List.of() : List.of(stores)));
        return key;
    }

    /** Revokes a key at once; revoking it again changes nothing. */
    @Transactional
    public void revoke(long id) {
        int changed = jdbc.sql("update api_key set revoked_at = coalesce(revoked_at, :now) where id = :id")
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
        if (changed == 0) {
            throw ApiProblem.notFound("API key " + id);
        }
        forgetPresentedKeys();
        audit.record("api-key.revoked", "api_key", Long.toString(id), Map.of());
    }

    /** Every key ever issued, newest first, revoked ones included. */
    public List<ApiKey> list() {
        return jdbc.sql("select * from api_key order by id desc").query((rs, n) -> apiKey(rs)).list();
    }

    /** The key this plain text stands for, revoked or not; empty when it is no key of ours. */
    public Optional<ApiKey> describe(String plaintext) {
        if (plaintext == null || !plaintext.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("select * from api_key where key_hash = :hash")
                .param("hash", hash(plaintext))
                .query((rs, n) -> apiKey(rs)).optional();
    }

    /** Looks a presented key up and notes that it was used (at most once a minute per key). */
    Optional<ApiKey> presented(String plaintext) {
        if (plaintext == null || !plaintext.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        String hash = hash(plaintext);
        Instant now = clock.instant();
        Cached cached = presentedKeys.get(hash);
        if (cached != null && now.isBefore(cached.until())) {
            noteUse(cached.key());
            return Optional.of(cached.key());
        }
        Optional<ApiKey> key = jdbc.sql("select * from api_key where key_hash = :hash")
                .param("hash", hash)
                .query((rs, n) -> apiKey(rs)).optional();
        // Unknown and revoked keys are not cached: they are refused either way, and a guessed key must
        // not fill the cache.
        key.filter(k -> !k.revoked()).ifPresent(k -> {
            if (presentedKeys.size() >= MAX_CACHED_KEYS) {
                presentedKeys.clear();
            }
            presentedKeys.put(hash, new Cached(k, now.plus(PRESENTED_KEY_TTL)));
            noteUse(k);
        });
        return key;
    }

    /**
     * Clears the cache now and again once the revoking transaction committed: a request that read the
     * key in between (still unrevoked to it) must not keep it cached.
     */
    private void forgetPresentedKeys() {
        presentedKeys.clear();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    presentedKeys.clear();
                }
            });
        }
    }

    private void noteUse(ApiKey key) {
        Instant now = clock.instant();
        Instant written = lastUseWritten.get(key.id());
        if (written != null && written.plus(LAST_USED_PRECISION).isAfter(now)) {
            return;
        }
        lastUseWritten.put(key.id(), now);
        jdbc.sql("update api_key set last_used_at = :now where id = :id")
                .param("now", Timestamp.from(now))
                .param("id", key.id())
                .update();
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        Array array = rs.getArray("store_ids");
        Set<Long> stores = new LinkedHashSet<>();
        if (array != null) {
            for (Object id : (Object[]) array.getArray()) {
                stores.add(((Number) id).longValue());
            }
        }
        return new ApiKey(rs.getLong("id"), rs.getString("name"), rs.getString("prefix"), array == null, stores,
                rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
