package app.regulars.console;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.insights.Insights;
import app.regulars.insights.Insights.CohortCell;
import app.regulars.insights.Insights.MonthlyRepurchase;
import app.regulars.insights.Memberships;
import app.regulars.insights.RfmSegments;
import app.regulars.insights.RuleEngine;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Value;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * 复购分析: how many of each month's buyers came back, how each first-purchase cohort keeps buying, and
 * where customers stand in RFM. Answered from the in-memory index: for the whole chain, or for a
 * store-scoped user (a store manager) over their stores' receipts, with RFM for the customers whose
 * home store is theirs (scored against the whole chain).
 */
@Controller
class RepurchasePage {

    /** Two years of cohorts: older rows add nothing a marketer acts on and make the matrix unreadable. */
    static final int COHORT_MONTHS = 24;

    private final Insights insights;
    private final RuleEngine engine;
    private final Catalog catalog;
    private final MessageSource messages;

    RepurchasePage(Insights insights, RuleEngine engine, Catalog catalog, MessageSource messages) {
        this.insights = insights;
        this.engine = engine;
        this.catalog = catalog;
        this.messages = messages;
    }

    /**
     * The charts over the caller's stores; owner and HQ may narrow them to one store ({@code store}), as a
     * store manager of that store sees them, to compare a store with the chain.
     */
    @GetMapping("/analytics")
    String page(@org.springframework.web.bind.annotation.RequestParam(required = false) Long store, Model model,
                Locale locale) {
        Caller caller = Callers.current();
        Store chosen = caller.allStores() && store != null ? catalog.store(store).orElse(null) : null;
        boolean chainWide = caller.allStores() && chosen == null;
        Set<Long> storeIds = chosen != null ? Set.of(chosen.id()) : caller.storeIds();
        model.addAttribute("chainWide", chainWide);
        model.addAttribute("mayChooseStore", caller.allStores());
        model.addAttribute("storeChoices", caller.allStores() ? catalog.stores() : List.of());
        model.addAttribute("store", chosen == null ? null : chosen.id());
        List<String> storeCodes = chainWide ? List.of() : storeIds.stream().map(catalog::store)
                .flatMap(java.util.Optional::stream).map(Store::code).sorted().toList();
        model.addAttribute("storeCodes", String.join(", ", storeCodes));
        Insights.IndexFigures figures = insights.figures();
        model.addAttribute("figures", figures);
        if (!figures.ready()) {
            return "insights/repurchase";
        }
        Map<String, Object> charts = new LinkedHashMap<>();
        repurchase(chainWide ? insights.repurchaseRate() : insights.repurchaseRate(storeIds), charts);
        List<CohortCell> cohorts = chainWide ? insights.cohorts() : insights.cohorts(storeIds);
        cohorts(cohorts, charts);
        lifetimeValue(cohorts, chainWide ? insights.cohortValues() : insights.cohortValues(storeIds), charts);
        rfm(charts, locale, chainWide ? null : storeCodes);
        model.addAttribute("charts", charts);
        model.addAttribute("empty", ((List<?>) charts.get("months")).isEmpty());
        return "insights/repurchase";
    }

    /**
     * How far the index's first build has read, for htmx to poll while the page waits; once the index
     * is ready, htmx is told to reload the page, which then shows the charts.
     */
    @GetMapping("/analytics/index-progress")
    String indexProgress(Model model, jakarta.servlet.http.HttpServletResponse response) {
        Insights.IndexFigures figures = insights.figures();
        if (figures.ready()) {
            response.setHeader("HX-Refresh", "true");
        }
        model.addAttribute("figures", figures);
        return "insights/repurchase :: building";
    }

    /**
     * Every month from the first with buyers to the last, a month without buyers included (no rate, a gap
     * in the line). WHY: the chart's axis lists the months it is given, and a missing one made the months
     * either side of it look adjacent.
     */
    static void repurchase(List<MonthlyRepurchase> months, Map<String, Object> charts) {
        List<String> labels = new ArrayList<>();
        List<Long> buyers = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        TreeMap<YearMonth, MonthlyRepurchase> byMonth = new TreeMap<>();
        months.forEach(m -> byMonth.put(m.month(), m));
        if (!byMonth.isEmpty()) {
            for (YearMonth m = byMonth.firstKey(); !m.isAfter(byMonth.lastKey()); m = m.plusMonths(1)) {
                MonthlyRepurchase found = byMonth.get(m);
                labels.add(m.toString());
                buyers.add(found == null ? 0 : found.buyers());
                rates.add(found == null || found.buyers() == 0 ? null : Math.round(found.rate() * 1000) / 10.0);
            }
        }
        charts.put("months", labels);
        charts.put("buyers", buyers);
        charts.put("rates", rates);
    }

    /**
     * The retention matrix as the heatmap wants it: [months later, cohort row, % of the cohort], plus
     * each cohort's size (its month-0 customers) for the row labels.
     */
    static void cohorts(List<CohortCell> cells, Map<String, Object> charts) {
        TreeMap<YearMonth, Map<Integer, Long>> byCohort = new TreeMap<>();
        for (CohortCell c : cells) {
            byCohort.computeIfAbsent(c.cohort(), k -> new TreeMap<>()).put(c.monthsLater(), c.customers());
        }
        while (byCohort.size() > COHORT_MONTHS) {
            byCohort.pollFirstEntry();
        }
        List<String> labels = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<List<Number>> points = new ArrayList<>();
        int widest = 0;
        int row = 0;
        for (Map.Entry<YearMonth, Map<Integer, Long>> cohort : byCohort.entrySet()) {
            long size = cohort.getValue().getOrDefault(0, 0L);
            labels.add(cohort.getKey().toString());
            sizes.add(size);
            for (Map.Entry<Integer, Long> cell : cohort.getValue().entrySet()) {
                if (cell.getKey() > 0 && size > 0) {
                    points.add(List.of(cell.getKey(), row, Math.round(cell.getValue() * 1000.0 / size) / 10.0));
                    widest = Math.max(widest, cell.getKey());
                }
            }
            row++;
        }
        charts.put("cohorts", labels);
        charts.put("cohortSizes", sizes);
        charts.put("cohortPoints", points);
        charts.put("cohortWidth", widest);
    }

    /**
     * The average customer's cumulative net spend k months after their first purchase (k = 0 is that
     * month), in yuan, and how many customers it averages. WHY ONLY COHORTS OLD ENOUGH: last month's
     * customers have no month 6 yet, and counting them there would pull the curve down as if they had
     * stopped buying.
     */
    static void lifetimeValue(List<CohortCell> cohorts, List<Insights.CohortValue> values, Map<String, Object> charts) {
        Map<YearMonth, Long> sizes = new TreeMap<>();
        YearMonth last = null;
        for (CohortCell c : cohorts) {
            if (c.monthsLater() == 0) {
                sizes.put(c.cohort(), c.customers());
            }
            YearMonth month = c.cohort().plusMonths(c.monthsLater());
            last = last == null || month.isAfter(last) ? month : last;
        }
        Map<YearMonth, long[]> spent = new TreeMap<>();
        for (Insights.CohortValue v : values) {
            if (v.monthsLater() < COHORT_MONTHS) {
                spent.computeIfAbsent(v.cohort(), k -> new long[COHORT_MONTHS])[v.monthsLater()] += v.netCents();
            }
        }
        for (long[] months : spent.values()) { // each cohort's spend so far, month by month
            for (int k = 1; k < months.length; k++) {
                months[k] += months[k - 1];
            }
        }
        List<Double> perCustomer = new ArrayList<>();
        List<Long> customers = new ArrayList<>();
        for (int k = 0; last != null && k < COHORT_MONTHS; k++) {
            long cents = 0;
            long people = 0;
            for (Map.Entry<YearMonth, Long> cohort : sizes.entrySet()) {
                if (cohort.getKey().plusMonths(k).isAfter(last)) {
                    continue; // not that old yet
                }
                long[] cumulative = spent.get(cohort.getKey());
                cents += cumulative == null ? 0 : cumulative[k];
                people += cohort.getValue();
            }
            if (people == 0) {
                break;
            }
            perCustomer.add(Math.round((double) cents / people) / 100.0);
            customers.add(people);
        }
        charts.put("ltv", perCustomer);
        charts.put("ltvCustomers", customers);
    }

    /** Customers per RFM segment; for a store-scoped user, those whose home store is one of theirs. */
    private void rfm(Map<String, Object> charts, Locale locale, List<String> homeStores) {
        List<Integer> counts = new ArrayList<>();
        for (String segment : RfmSegments.NAMES) {
            Rule inSegment = new Rule.Compare(new Value.Field("rfm_segment", Span.NONE), Rule.Operator.EQ,
                    new Value.TextLiteral(segment, Span.NONE), Span.NONE);
            if (homeStores != null && homeStores.isEmpty()) {
                counts.add(0); // a scoped user without stores has no customers
                continue;
            }
            if (homeStores != null) {
                Rule atHome = new Rule.In(new Value.Field("home_store", Span.NONE),
                        homeStores.stream().map(c -> (Value.Literal) new Value.TextLiteral(c, Span.NONE)).toList(),
                        Span.NONE);
                inSegment = new Rule.And(List.of(inSegment, atHome), Span.NONE);
            }
            counts.add(engine.evaluate(inSegment, Memberships.NONE).count());
        }
        charts.put("rfmSegments", RfmSegments.NAMES.stream()
                .map(name -> messages.getMessage(rfmKey(name), null, name, locale)).toList());
        charts.put("rfmCounts", counts);
    }

    /** "Can't lose them" → analytics.rfm.can_t_lose_them */
    static String rfmKey(String segment) {
        return "analytics.rfm." + segment.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "_");
    }
}
