package app.regulars.console;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Store ids typed as "3, 7,12" in a settings form; empty means all stores. */
final class StoreScope {

    private StoreScope() {}

    /** The ids, or empty when the text is not a comma list of positive whole numbers. */
    static Optional<Set<Long>> parse(String text) {
        Set<Long> ids = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return Optional.of(ids);
        }
        for (String part : text.split("[,，\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                long id = Long.parseLong(part);
                if (id <= 0) {
                    return Optional.empty();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(ids);
    }
}
