package app.regulars.purchases;

import java.util.List;

/** Accepting interactions (visits, reviews, coupon use, …). Validation-first and idempotent, like receipts. */
public interface InteractionIntake {

    /** Validates and stores one interaction with its feed event; errors name fields without a list index. */
    InteractionResult record(InteractionDraft interaction);

    /**
     * Validates every interaction first ("events[2].type"); if any is invalid nothing is stored.
     * Otherwise stores all with their feed events (topic "interactions") in one transaction.
     */
    List<InteractionResult> recordAll(List<InteractionDraft> interactions);
}
