package app.regulars.purchases.web;

import app.regulars.customers.Identity;
import app.regulars.purchases.InteractionDraft;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/v1/events}: one interaction, or {@code {"events": [...]}}. */
record EventsRequest(String source, String externalId, Identity customer, String type, OffsetDateTime occurredAt,
                     String storeCode, String sku, Integer rating, Map<String, Object> detail,
                     List<EventsRequest> events) {

    boolean isBatch() {
        return events != null;
    }

    boolean hasEventFields() {
        return source != null || externalId != null || customer != null || type != null || occurredAt != null
                || storeCode != null || sku != null || rating != null || detail != null;
    }

    InteractionDraft draft() {
        return new InteractionDraft(source, externalId, customer, type,
                occurredAt == null ? null : occurredAt.toInstant(), storeCode, sku, rating, detail);
    }
}
