package app.regulars.catalog;

/** A product/SKU as it arrives from an import or the API; upserted by {@code skuCode}. */
public record ProductDraft(String skuCode, String name, String categoryCode, String brand, Long priceCents,
                           Boolean consumable) {}
