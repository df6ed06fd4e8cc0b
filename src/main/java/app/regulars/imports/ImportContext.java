package app.regulars.imports;

import app.regulars.platform.ApiProblem;
import java.time.LocalDate;
import java.time.ZoneId;
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

    ImportContext(ImportOptions options, Function<String, Optional<ZoneId>> storeZones) {
        this(options, storeZones, values -> List.of(), LocalDate.now(ZoneId.of("Asia/Shanghai")));
    }

    /**
     * @param customCheck checks custom field values ("" = none), returning what is wrong by "custom.key"
     * @param today       for plausibility checks (no birthdays in the future)
     */
    ImportContext(ImportOptions options, Function<String, Optional<ZoneId>> storeZones,
                  Function<Map<String, String>, List<ApiProblem.FieldError>> customCheck, LocalDate today) {
        this.customCheck = customCheck;
        this.today = today;
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

    ZoneId zoneOverride() {
        return zoneOverride;
    }

    Values.DateReader dates() {
        return dates;
    }
}
