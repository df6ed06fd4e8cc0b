package app.regulars.purchases;

/**
 * What became of one receipt: its id, its customer (null when anonymous), its total in cents, and
 * whether this call wrote it ({@code created}) or found it from an earlier identical call.
 */
public record IntakeResult(String receiptNo, long receiptId, Long customerId, long totalCents, boolean created) {}
