package app.regulars.imports;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What reading rows needs besides the row: options, the stores that exist and their timezones. */
final class ImportContext {

    private final ImportOptions options;
    private final Function<String, Optional<ZoneId>> storeZones;
    private final Map<String, Optional<ZoneId>> known = new HashMap<>();
    private final Values.DateReader dates;
    private final ZoneId zoneOverride;

    ImportContext(ImportOptions options, Function<String, Optional<ZoneId>> storeZones) {
        this.options = options;
        this.storeZones = storeZones;
        this.dates = new Values.DateReader(options.dateFormat());
        this.zoneOverride = options.timezone() == null || options.timezone().isBlank() ? null : ZoneId.of(options.timezone());
    }

    ImportOptions options() {
        return options;
    }

    String defaultStore() {
        return options.storeCode() == null || options.storeCode().isBlank() ? null : options.storeCode().strip();
    }

    /** The store's timezone, or null when no store has this code. */
    ZoneId zoneOfStore(String code) {
        return known.computeIfAbsent(code, storeZones).orElse(null);
    }

    ZoneId zoneOverride() {
        return zoneOverride;
    }

    Values.DateReader dates() {
        return dates;
    }
}
