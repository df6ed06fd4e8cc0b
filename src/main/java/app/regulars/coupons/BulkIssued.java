package app.regulars.coupons;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a bulk issuance did: the coupons (new or from an earlier call with the same key) and, for each
 * customer who got none, why ({@code PER_CUSTOMER_LIMIT}, {@code QUANTITY_CAP}, {@code BUDGET_CAP},
 * {@code TEMPLATE_INACTIVE}, {@code TEMPLATE_EXPIRED}).
 */
public record BulkIssued(List<Issued> issued, List<Skipped> skipped) {

    public record Skipped(long customerId, String reason) {}

    /** Coupons this call issued (the others came from an earlier call with the same key). */
    @JsonProperty
    public long created() {
        return issued.stream().filter(Issued::created).count();
    }

    /** Coupons an earlier call with the same key had issued already: a retry finds them and adds none. */
    @JsonProperty
    public long alreadyIssued() {
        return issued.size() - created();
    }

    /** How many customers got none, per reason, in a stable order. */
    @JsonProperty
    public Map<String, Long> skippedByReason() {
        Map<String, Long> counts = new TreeMap<>();
        skipped.forEach(s -> counts.merge(s.reason(), 1L, Long::sum));
        return counts;
    }
}
