package app.regulars.coupons;

/** A prize as configured; {@code id} names an existing prize to change, null for a new one. */
public record PrizeDraft(Long id, String kind, String label, Long points, Long templateId, String giftSku,
                         Long valueCents, Integer oddsPpm, Integer stock) {}
