package app.regulars.purchases.web;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** A store-scoped API key or user may only send receipts and events of its own stores. */
@Component
class StoreScope {

    private final Catalog catalog;

    StoreScope(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Refuses with 403 naming each storeCode field outside the caller's stores. Unknown stores pass
     * here: the intake names them with a 422.
     *
     * @param storeCodes field path ("receipts[2].storeCode") → store code
     */
    void check(Map<String, String> storeCodes) {
        Caller caller = Callers.current();
        if (caller.allStores()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        storeCodes.forEach((field, code) -> catalog.storeByCode(code)
                .filter(store -> !caller.maySee(store.id()))
                .ifPresent(store -> errors.add(new FieldError(field, "store " + code + " is outside this caller's stores"))));
        if (!errors.isEmpty()) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, errors.getFirst().field() + ": " + errors.getFirst().reason(), errors);
        }
    }
}
