package app.regulars.coupons;

import java.util.List;

/**
 * What a bulk issuance did: the coupons (new or from an earlier call with the same key) and, for each
 * customer who got none, why ({@code PER_CUSTOMER_LIMIT}, {@code QUANTITY_CAP}, {@code BUDGET_CAP},
 * {@code TEMPLATE_INACTIVE}).
 */
public record BulkIssued(List<Issued> issued, List<Skipped> skipped) {

    public record Skipped(long customerId, String reason) {}

    public long created() {
        return issued.stream().filter(Issued::created).count();
    }
}
