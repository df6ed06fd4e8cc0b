package app.regulars.customers;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Which customers the current caller may see. Owner, HQ and unscoped keys see everyone; a store-scoped
 * user or API key sees the customers whose home store or registration store is one of theirs. Anyone
 * else reads as not found, so a store's scope does not reveal who exists at other stores.
 */
@Component
public class CustomerVisibility {

    private final Customers customers;

    CustomerVisibility(Customers customers) {
        this.customers = customers;
    }

    /** The customer (the survivor, when merged) if the caller may see them. */
    public Optional<CustomerSummary> find(long customerId) {
        return customers.summary(customerId).filter(this::visible);
    }

    public List<CustomerSummary> filter(List<CustomerSummary> found) {
        return found.stream().filter(this::visible).toList();
    }

    /** The stores a customer list is limited to; null for a chain-wide caller. */
    public Set<Long> listScope() {
        Caller caller = Callers.current();
        return caller.allStores() ? null : caller.storeIds();
    }

    /**
     * The stores a customer list picked to one store is limited to: that store, or none when the caller
     * may not see it; null (the caller's own scope) when no store was picked.
     */
    public Set<Long> listScope(Long picked) {
        if (picked == null) {
            return listScope();
        }
        return Callers.current().maySee(picked) ? Set.of(picked) : Set.of();
    }

    private boolean visible(CustomerSummary customer) {
        return visibleTo(Callers.current(), customer.homeStoreId(), customer.registrationStoreId());
    }

    /** The rule itself: a customer belongs to their home store and the store they registered at. */
    public static boolean visibleTo(Caller caller, Long homeStoreId, Long registrationStoreId) {
        return caller.allStores() || (homeStoreId != null && caller.storeIds().contains(homeStoreId))
                || (registrationStoreId != null && caller.storeIds().contains(registrationStoreId));
    }
}
