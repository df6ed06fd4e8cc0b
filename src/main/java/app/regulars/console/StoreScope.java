package app.regulars.console;

import app.regulars.catalog.Store;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The store picker of the settings forms: the catalog's stores to tick, and how a chosen scope reads in
 * the lists ("SH-01 上海南京西路店"). Store ids never show: people know their stores by code and name.
 *
 * @param stores every store of the catalog, by code
 */
public record StoreScope(List<Store> stores) {

    public StoreScope {
        stores = stores.stream().sorted(Comparator.comparing(Store::code)).toList();
    }

    /**
     * The ticked stores (none ticked: an empty set), or empty when one is not a store of the catalog —
     * a page left open while a store was removed, or a forged form.
     */
    Optional<Set<Long>> picked(List<String> ticked) {
        Set<Long> known = stores.stream().map(Store::id).collect(Collectors.toSet());
        Set<Long> ids = new LinkedHashSet<>();
        for (String value : ticked == null ? List.<String>of() : ticked) {
            try {
                long id = Long.parseLong(value.strip());
                if (!known.contains(id)) {
                    return Optional.empty();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(ids);
    }

    /** A scope as the lists show it, by store code; a store the catalog no longer has reads "#id". */
    public List<String> labels(Collection<Long> ids) {
        Map<Long, Store> byId = stores.stream().collect(Collectors.toMap(Store::id, Function.identity()));
        List<String> known = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (Long id : ids) {
            Store store = byId.get(id);
            if (store == null) {
                gone.add("#" + id);
            } else {
                known.add(store.code() + " " + store.name());
            }
        }
        known.sort(null);
        gone.sort(null);
        known.addAll(gone);
        return known;
    }
}
