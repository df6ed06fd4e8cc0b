package app.regulars.catalog;

/** A colleague as sent by the console or the API, upserted by store and {@code code}; null role means clerk. */
public record StaffDraft(String code, String name, String role, Boolean active) {}
