package app.regulars.catalog;

/**
 * A node of the category tree. The own cycles may be null; the effective ones are inherited from the
 * nearest ancestor that sets them (skincare 45 days applies to serums unless serums say otherwise).
 * Repurchase cycles belong to consumables, care cycles (cleaning, maintenance) to durables.
 */
public record Category(long id, String code, String name, String parentCode, Integer repurchaseCycleDays,
                       Integer careCycleDays, Integer effectiveRepurchaseCycleDays, Integer effectiveCareCycleDays,
                       int depth) {}
