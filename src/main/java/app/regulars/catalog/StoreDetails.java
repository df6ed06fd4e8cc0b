package app.regulars.catalog;

import java.time.LocalDate;
import java.time.ZoneId;

/** A store with what only head office needs to see (when it opened, whether it still trades). */
public record StoreDetails(long id, String code, String name, String region, String city, ZoneId timezone,
                           LocalDate openedOn, boolean active) {

    public Store store() {
        return new Store(id, code, name, region, city, timezone);
    }
}
