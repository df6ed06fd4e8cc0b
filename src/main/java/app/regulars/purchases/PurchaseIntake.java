package app.regulars.purchases;

import java.util.List;

/** Accepting receipts: the one way purchases enter Regulars (API, import, console, generator). */
public interface PurchaseIntake {

    /** Validates and stores one receipt with its feed event in one transaction. Idempotent. */
    IntakeResult accept(ReceiptDraft receipt);

    /**
     * Validates every receipt first; if any is invalid nothing is stored and an {@code ApiProblem}
     * names each bad one ("receipts[3].lines[0].quantity"). Otherwise stores all in one transaction.
     * Receipts already stored (same source and number) are returned as they were, not written again.
     */
    List<IntakeResult> acceptAll(List<ReceiptDraft> receipts);
}
