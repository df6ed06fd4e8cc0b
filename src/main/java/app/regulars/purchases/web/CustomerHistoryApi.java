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
        known(id);
        return history.stats(id);
    }

    @GetMapping("/timeline")
    TimelinePage timeline(@PathVariable long id, @RequestParam(defaultValue = "0") int page) {
        known(id);
        if (page < 0) {
            throw ApiProblem.badRequest("page", "must not be negative");
        }
        return history.timeline(id, page);
    }

    private void known(long id) {
        if (customers.summary(id).isEmpty()) {
            throw ApiProblem.notFound("customer " + id);
        }
    }
}
