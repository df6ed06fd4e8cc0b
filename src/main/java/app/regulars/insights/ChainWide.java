package app.regulars.insights;

import app.regulars.access.Callers;
import app.regulars.platform.ApiProblem;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * Tags and segments belong to the whole chain, so only a caller who works for all stores defines,
 * changes or deletes them, or tags customers from a file. Checked here, not in each door: the
 * console's pages once let a store's clerk do what the API refused.
 */
final class ChainWide {

    private ChainWide() {}

    static void require() {
        if (!Callers.current().allStores()) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "changing tags and segments needs access to all stores", List.of());
        }
    }
}
