package app.regulars.purchases;

/** What became of one interaction: its id, its customer, and whether this call wrote it. */
public record InteractionResult(String externalId, long interactionId, long customerId, boolean created) {}
