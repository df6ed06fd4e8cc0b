package app.regulars.access;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as people see it after it was issued: never the key itself, only its prefix.
 *
 * @param storeIds the stores it may use; empty when {@code allStores}
 */
public record ApiKey(long id, String name, String prefix, boolean allStores, Set<Long> storeIds,
                     String createdBy, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public ApiKey {
        storeIds = Set.copyOf(storeIds);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
