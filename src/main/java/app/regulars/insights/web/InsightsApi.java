package app.regulars.insights.web;

import app.regulars.insights.CustomerInsights;
import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.insights.Insights;
import app.regulars.platform.ApiProblem;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A customer's metrics and RFM, and the dashboard's analytics, answered from the in-memory index. */
@RestController
class InsightsApi {

    private final Insights insights;

    InsightsApi(Insights insights) {
        this.insights = insights;
    }

    /** The catalogue's metrics, RFM scores and segment; a merged-away id answers for the survivor. */
    @GetMapping("/api/v1/customers/{id}/insights")
    CustomerInsights customer(@PathVariable long id) {
        return insights.metricsOf(id).orElseThrow(() -> ApiProblem.notFound("customer " + id));
    }

    /**
     * For each month, the share of its buyers who had bought before it: over the whole chain, or for a
     * caller scoped to some stores, over those stores' receipts only.
     */
    @GetMapping("/api/v1/insights/repurchase-rate")
    List<Insights.MonthlyRepurchase> repurchaseRate() {
        Caller caller = Callers.current();
        return caller.allStores() ? insights.repurchaseRate() : insights.repurchaseRate(caller.storeIds());
    }

    /** Customers by first-purchase month and months since with a purchase (scoped as the rate is). */
    @GetMapping("/api/v1/insights/cohorts")
    List<Insights.CohortCell> cohorts() {
        Caller caller = Callers.current();
        return caller.allStores() ? insights.cohorts() : insights.cohorts(caller.storeIds());
    }

    /**
     * Net spend (sales less refunds) of each first-purchase month's customers k months later, scoped as
     * the cohorts are: with the cohorts' month-0 sizes, a customer's lifetime value so far.
     */
    @GetMapping("/api/v1/insights/cohort-values")
    List<Insights.CohortValue> cohortValues() {
        Caller caller = Callers.current();
        return caller.allStores() ? insights.cohortValues() : insights.cohortValues(caller.storeIds());
    }

    /** Whether the index is built, what it holds and its size in memory. */
    @GetMapping("/api/v1/insights/index")
    Insights.IndexFigures index() {
        return insights.figures();
    }
}
