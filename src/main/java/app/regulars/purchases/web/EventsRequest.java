package app.regulars.purchases.web;

import app.regulars.customers.Identity;
import app.regulars.purchases.InteractionDraft;
import app.regulars.platform.ApiProblem.FieldError;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/v1/events}: one interaction, or {@code {"events": [...]}}. */
record EventsRequest(String source, String externalId, Identity customer, String type, String occurredAt,
                     String storeCode, String sku, Integer rating, Map<String, Object> detail,
                     List<EventsRequest> events) {

    boolean isBatch() {
        return events != null;
    }

    boolean hasEventFields() {
        return source != null || externalId != null || customer != null || type != null || occurredAt != null
                || storeCode != null || sku != null || rating != null || detail != null;
    }

    InteractionDraft draft(String at, Timestamps times, List<FieldError> errors) {
        return new InteractionDraft(source, externalId, customer, type,
                times.parse(occurredAt, storeCode, at + "occurredAt", errors), storeCode, sku, rating, detail);
    }
}
