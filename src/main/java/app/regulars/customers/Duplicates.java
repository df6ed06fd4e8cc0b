package app.regulars.customers;

import java.util.List;

/** Customers that are probably one person, and merging them. */
public interface Duplicates {

    /** Pairs of (unmerged) customers sharing a phone or a card number, lower id first. */
    List<Candidate> candidates(int limit);

    /**
     * Merges {@code mergedId} into {@code survivorId}: identities and consents move, empty profile
     * fields are filled from the merged customer, lookups of the merged id find the survivor, and
     * {@link CustomerMerged} is published in the same transaction. 409 when merging a customer into
     * itself or when either is already merged; 404 when either is unknown.
     */
    void merge(long survivorId, long mergedId);

    /** @param shared "phone" or "card" */
    record Candidate(CustomerSummary first, CustomerSummary second, String shared) {}
}
