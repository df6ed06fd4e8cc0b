package app.regulars.purchases.web;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RegularsProperties;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Times as tills send them: ISO with an offset ("2026-11-11T10:00:00+08:00", "…Z"), or local wall
 * time without one ("2026-11-11T10:00:00"), which is read in the store's timezone (many tills in
 * China know no offsets).
 */
@Component
class Timestamps {

    private final Catalog catalog;
    private final ZoneId defaultZone;

    Timestamps(Catalog catalog, RegularsProperties properties) {
        this.catalog = catalog;
        this.defaultZone = properties.timezone() == null ? ZoneId.of("Asia/Shanghai") : properties.timezone();
    }

    Instant parse(String text, String storeCode, String field, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                ZoneId zone = storeCode == null ? defaultZone
                        : catalog.storeByCode(storeCode).map(Store::timezone).orElse(defaultZone);
                return LocalDateTime.parse(text.strip()).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(field, "not a date-time such as 2026-11-11T10:00:00+08:00"));
                return null;
            }
        }
    }
}
