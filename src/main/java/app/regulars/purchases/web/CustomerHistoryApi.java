package app.regulars.purchases.web;

import app.regulars.customers.Customers;
import app.regulars.platform.ApiProblem;
import app.regulars.purchases.CustomerStats;
import app.regulars.purchases.PurchaseHistory;
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
    private final Customers customers;

    CustomerHistoryApi(PurchaseHistory history, Customers customers) {
        this.history = history;
        this.customers = customers;
    }

    @GetMapping("/stats")
    CustomerStats stats(@PathVariable long id) {
        return history.stats(current(id));
    }

    @GetMapping("/timeline")
    TimelinePage timeline(@PathVariable long id, @RequestParam(defaultValue = "0") int page) {
        if (page < 0) {
            throw ApiProblem.badRequest("page", "must not be negative");
        }
        return history.timeline(current(id), page);
    }

    /** The customer's id, or the survivor's when this customer was merged into another. */
    private long current(long id) {
        return customers.summary(id).orElseThrow(() -> ApiProblem.notFound("customer " + id)).id();
    }
}
