package app.regulars.access;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lets a till check its key: who the API takes it for and which stores it may use. */
@RestController
class CallerEndpoint {

    /** The caller as the API sees it; store ids sorted, empty when it sees all stores. */
    record CallerView(String name, boolean allStores, List<Long> storeIds) {}

    @GetMapping("/api/v1/caller")
    CallerView caller() {
        Caller caller = Callers.current();
        return new CallerView(caller.name(), caller.allStores(), caller.storeIds().stream().sorted().toList());
    }
}
