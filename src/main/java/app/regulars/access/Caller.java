package app.regulars.access;

import java.io.Serializable;
import java.util.Set;

/**
 * Who is asking: a signed-in console user or a system holding an API key.
 *
 * @param name         username, or {@code api-key:<name>} for a key; what the audit log shows
 * @param allStores    sees every store (owner, HQ, an unscoped key)
 * @param storeIds     the stores it may see when not {@code allStores}
 * @param mayRevealPii may unmask personal data (audited)
 */
public record Caller(String name, boolean allStores, Set<Long> storeIds, boolean mayRevealPii) implements Serializable {

    /** Work the application does on its own behalf (feed consumers, schedulers, first start). */
    public static final Caller SYSTEM = new Caller("system", true, Set.of(), false);

    /** A web request nobody has signed in for (only open pages get this far). Sees nothing. */
    public static final Caller ANONYMOUS = new Caller("anonymous", false, Set.of(), false);

    public Caller {
        storeIds = Set.copyOf(storeIds);
    }

    public boolean maySee(long storeId) {
        return allStores || storeIds.contains(storeId);
    }
}
