package app.regulars.access;

import java.time.Instant;
import java.util.Set;

/** A console user as the settings page lists it (no password hash). */
public record UserAccount(long id, String username, String displayName, Role role, Set<Long> storeIds,
                          boolean mustChangePassword, boolean disabled, Instant createdAt) {

    public UserAccount {
        storeIds = Set.copyOf(storeIds);
    }
}
