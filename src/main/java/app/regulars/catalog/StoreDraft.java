package app.regulars.catalog;

import java.time.LocalDate;

/**
 * A store as sent by the console or the API, upserted by {@code code}. Every field is replaced;
 * a null timezone means Asia/Shanghai and a null {@code active} means open.
 */
public record StoreDraft(String code, String name, String region, String city, String timezone, LocalDate openedOn,
                         Boolean active) {}
