package app.regulars.imports;

import app.regulars.platform.ApiProblem;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
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

    private final Function<Map<String, String>, List<ApiProblem.FieldError>> customCheck;
    private final LocalDate today;
    private final ZoneId chainZone;

    /**
     * @param customCheck checks custom field values ("" = none), returning what is wrong by "custom.key"
     * @param now         the chain's time and zone: for plausibility checks (no birthdays in the future)
     *                    and for local times of rows that name no store
     */
    ImportContext(ImportOptions options, Function<String, Optional<ZoneId>> storeZones,
                  Function<Map<String, String>, List<ApiProblem.FieldError>> customCheck, ZonedDateTime now) {
        this.customCheck = customCheck;
        this.today = now.toLocalDate();
        this.chainZone = now.getZone();
        this.options = options;
        this.storeZones = storeZones;
        this.dates = new Values.DateReader(options.dateFormat());
        this.zoneOverride = options.timezone() == null || options.timezone().isBlank() ? null : ZoneId.of(options.timezone());
    }

    List<ApiProblem.FieldError> checkCustom(Map<String, String> values) {
        return values.isEmpty() ? List.of() : customCheck.apply(values);
    }

    LocalDate today() {
        return today;
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

    /** The zone of a row's local times: the file's when it names one, else its store's, else the chain's. */
    ZoneId zoneFor(ZoneId storeZone) {
        return zoneOverride != null ? zoneOverride : storeZone != null ? storeZone : chainZone;
    }

    Values.DateReader dates() {
        return dates;
    }
}
