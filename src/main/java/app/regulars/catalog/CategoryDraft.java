package app.regulars.catalog;

/** A category as sent by the console or the API, upserted by {@code code}; null cycles are inherited. */
public record CategoryDraft(String code, String name, String parentCode, Integer repurchaseCycleDays,
                            Integer careCycleDays) {}
