package app.regulars.purchases;

import app.regulars.customers.Identity;
import java.time.Instant;
import java.util.Map;

/**
 * Something a customer did besides buying, as a channel sends it. Idempotent on (source, externalId).
 * {@code detail} holds facts such as a search term, page or coupon code — never personal data.
 */
public record InteractionDraft(String source, String externalId, Identity customer, String type,
                               Instant occurredAt, String storeCode, String sku, Integer rating,
                               Map<String, Object> detail) {}
