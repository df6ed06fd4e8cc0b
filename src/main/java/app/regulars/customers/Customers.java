package app.regulars.customers;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What other modules may ask of the customers module. Implemented inside this package. */
public interface Customers {

    /**
     * The customer with this identity, created (with the given registration store and channel, both
     * optional) when none exists. Idempotent; runs in the caller's transaction. Throws
     * {@code ApiProblem} naming the field when the identity is empty or a phone cannot be normalised.
     */
    long resolveOrCreate(Identity identity, Long registrationStoreId, String registrationChannel);

    /**
     * Bulk form of {@link #resolveOrCreate} for imports: one round trip per batch, not per row. It locks
     * no existing customer: a phone or card a known customer arrives with and its profile lacks is
     * written there when the caller holds that customer ({@link #holdLiving}), or else just before the
     * commit, so customers are always locked in id order.
     */
    Map<Identity, Long> resolveOrCreateAll(Collection<Identity> identities, Long registrationStoreId,
                                           String registrationChannel);

    /**
     * {@link #resolveOrCreateAll(Collection, Long, String)} with a registration store and channel per
     * identity, for a batch from several stores: one resolution for the whole batch, so concurrent
     * batches claim new identities in one order and not store by store.
     */
    Map<Identity, Long> resolveOrCreateAll(Map<Identity, Origin> identities);

    /**
     * Where and when a customer created for an identity is registered; all optional (no time: now).
     * WHY A TIME: a chain's history arrives after the fact (an import of last year's receipts), and a
     * customer first seen on a receipt of 2024 joined then, not on the day of the import.
     */
    record Origin(Long registrationStoreId, String registrationChannel, Instant registeredAt) {

        public Origin(Long registrationStoreId, String registrationChannel) {
            this(registrationStoreId, registrationChannel, null);
        }

        /** Of two origins with times, the one that came first (a customer joins at their earliest sign). */
        public static Origin earlier(Origin a, Origin b) {
            return b.registeredAt().isBefore(a.registeredAt()) ? b : a;
        }
    }

    /**
     * The living customer of each id (itself, or the survivor it was merged into), each held until the
     * caller's transaction ends: a merge of one of them waits for the caller, so rows the caller writes
     * for these customers are there when the merge moves their history. Unknown ids are left out. Needs
     * the caller's transaction. Then writes the profile phones and cards that resolving these customers
     * in this transaction left for the hold (on the survivor, for a customer merged since).
     */
    Map<Long, Long> holdLiving(Collection<Long> customerIds);

    /**
     * {@link #holdLiving} for a batch of history: the customers are held strongly enough to write their
     * rows, and one who joined after a purchase of theirs here ({@code earliestPurchases}, by id) is moved
     * back to it. WHY: a chain connects its tills first, which registers its regulars that day, and
     * imports their years of receipts after.
     */
    Map<Long, Long> holdLivingJoinedBy(Collection<Long> customerIds, Map<Long, Instant> earliestPurchases);

    Optional<Long> find(Identity identity);

    /** Bulk form of {@link #find}: the known ones among the identities, in one round trip; creates nothing. */
    Map<Identity, Long> findAll(Collection<Identity> identities);

    Optional<CustomerSummary> summary(long customerId);

    /**
     * Bulk form of {@link #summary}, in one round trip: the customers in the order of the ids (a merged
     * id answers with its survivor), unknown ids left out.
     */
    List<CustomerSummary> summaries(List<Long> customerIds);

    /** Customers of the chain (merged-away ones left out). */
    long count();

    /** Customers whose home store is one of these (merged-away ones left out); 0 for no stores. */
    long countByHomeStores(Collection<Long> storeIds);

    /** The unmasked phone, for a user whose role may see it; the caller records the audit entry. */
    Optional<String> reveal(long customerId, String field);
}
