package app.regulars.catalog;

/**
 * A sellable item. {@code categoryCode} may be null for an item that arrived on a receipt before it
 * was catalogued; {@code consumable} items are bought again, durable ones get care reminders.
 */
public record Sku(long id, String code, String name, String categoryCode, String brand, long priceCents,
                  boolean consumable) {}
