package app.regulars.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One committed fact from the event feed. Payloads carry ids and facts, never personal data.
 *
 * @param id         the feed's sequence number (allocation order, not commit order)
 * @param topic      the stream it belongs to ("purchases", "interactions", "customers", …)
 * @param type       what happened ("receipt.accepted", "refund.accepted", …)
 * @param customerId the customer it is about, or null for anonymous facts
 * @param occurredAt when it happened in the world (receipt time), not when it was recorded
 */
public record FeedEvent(long id, String topic, String type, Long customerId, Instant occurredAt, JsonNode payload) {}
