package app.regulars.purchases;

import app.regulars.access.Caller;
import java.util.Set;

/**
 * Which stores a question is about: the whole chain, or only some stores (a store-scoped user's).
 *
 * @param storeIds the stores when not {@code allStores}; empty means none at all
 */
public record StoreFilter(boolean allStores, Set<Long> storeIds) {

    public static final StoreFilter ALL = new StoreFilter(true, Set.of());

    public StoreFilter {
        storeIds = allStores ? Set.of() : Set.copyOf(storeIds);
    }

    public static StoreFilter only(Set<Long> storeIds) {
        return new StoreFilter(false, storeIds);
    }

    /** The stores this caller may see. */
    public static StoreFilter of(Caller caller) {
        return caller.allStores() ? ALL : only(caller.storeIds());
    }
}
