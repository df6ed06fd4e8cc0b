package app.regulars.purchases.web;

import app.regulars.customers.CustomerSummary;
import app.regulars.access.Callers;
import app.regulars.customers.CustomerVisibility;
import app.regulars.platform.ApiProblem;
import app.regulars.purchases.CustomerStats;
import app.regulars.purchases.PurchaseHistory;
import app.regulars.purchases.PurchaseOverview;
import app.regulars.purchases.StoreFilter;
import app.regulars.purchases.TimelineEntry;
import java.time.LocalDate;
import java.util.List;
import app.regulars.purchases.TimelinePage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A customer's purchase stats and timeline (receipts and interactions, newest first). */
@RestController
@RequestMapping("/api/v1/customers/{id}")
class CustomerHistoryApi {

    private final PurchaseHistory history;
    private final CustomerVisibility customers;

    CustomerHistoryApi(PurchaseHistory history, CustomerVisibility customers) {
        this.history = history;
        this.customers = customers;
    }

    /** How many timeline entries the overview carries: enough for a till's "last visits" panel. */
    static final int OVERVIEW_ENTRIES = 5;

    /** The customer as the overview shows them: masked phone, no card number, nothing else in clear. */
    record CustomerCard(long id, String displayName, String phoneMasked, String gender, String ageBand, String city,
                        Long homeStoreId, LocalDate registeredOn) {}

    record Overview(CustomerCard customer, CustomerStats stats, List<TimelineEntry> latest) {}

    /**
     * The customer 360 in one call: who (masked), stats and the latest entries. Two statements: the
     * customer (which also follows a merge to the survivor), then stats and timeline together.
     */
    @GetMapping("/overview")
    Overview overview(@PathVariable long id) {
        CustomerSummary s = customers.find(id).orElseThrow(() -> ApiProblem.notFound("customer " + id));
        PurchaseOverview purchases = history.overview(s.id(), OVERVIEW_ENTRIES, StoreFilter.of(Callers.current()));
        return new Overview(new CustomerCard(s.id(), s.displayName(), s.phoneMasked(), s.gender(), s.ageBand(),
                s.city(), s.homeStoreId(), s.registeredOn()), purchases.stats(), purchases.latest());
    }

    @GetMapping("/stats")
    CustomerStats stats(@PathVariable long id) {
        return history.stats(current(id), StoreFilter.of(Callers.current()));
    }

    @GetMapping("/timeline")
    TimelinePage timeline(@PathVariable long id, @RequestParam(defaultValue = "0") int page) {
        if (page < 0) {
            throw ApiProblem.badRequest("page", "must not be negative");
        }
        return history.timeline(current(id), page, StoreFilter.of(Callers.current()));
    }

    /** The customer's id, or the survivor's when this customer was merged into another. */
    private long current(long id) {
        return customers.find(id).orElseThrow(() -> ApiProblem.notFound("customer " + id)).id();
    }
}
