package app.regulars.customers;

/**
 * Published synchronously inside the merge transaction, so a listener (purchases moving receipts)
 * commits or rolls back together with the merge. After it, {@code mergedId} resolves to
 * {@code survivorId} everywhere.
 */
public record CustomerMerged(long survivorId, long mergedId) {}
