package app.regulars.customers;

import java.util.List;
import java.util.Set;
import java.util.Optional;

/** Profiles for the API and the console: register, read, change, list and search customers. */
public interface CustomerProfiles {

    /** Upsert by identity; refuses bad input naming every wrong field, saving nothing. */
    Registration.Registered register(Registration registration);

    /**
     * Bulk form of {@link #register} for imports and generators: each registration is judged and
     * applied exactly as {@code register} would, in list order (a later one naming the same customer
     * sees the earlier one's changes), at a constant number of statements per batch. A refused
     * registration is reported in its {@link Registration.Outcome} and leaves the others alone; runs in
     * the caller's transaction. Idempotent: the same batch again creates no one.
     */
    List<Registration.Outcome> registerAll(List<Registration> registrations);

    /** The profile; a merged customer's id gives the survivor's profile. */
    Optional<CustomerProfile> profile(long customerId);

    /** Applies a change (validated as a whole, custom fields included); 404 when unknown. */
    CustomerProfile update(long customerId, ProfileChange change);

    /**
     * Customers newest first (merged ones left out); pages count from 0.
     *
     * @param storeIds only customers whose home or registration store is one of these; null: all
     */
    Page newest(int page, int size, Set<Long> storeIds);

    /** One search box: a phone (any format), else a card number or an exact name. */
    List<CustomerSummary> search(String phoneCardOrName);

    List<CustomerSummary> searchByPhone(String phone);

    List<CustomerSummary> searchByCard(String cardNo);

    List<CustomerSummary> searchByName(String exactName);

    record Page(List<CustomerSummary> customers, int page, int size, boolean hasNext) {}
}
