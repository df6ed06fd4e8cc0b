package app.regulars.console;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.customers.Customers;
import app.regulars.platform.RegularsProperties;
import app.regulars.purchases.PurchaseFigures;
import app.regulars.purchases.PurchaseFigures.ByStore;
import app.regulars.purchases.PurchaseFigures.Day;
import app.regulars.purchases.PurchaseFigures.RepeatCustomers;
import app.regulars.purchases.StoreFilter;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's front page, the store owner's first look: customers and how many came back, the last
 * 30 days against the 30 before, receipts and revenue per day over 90 days and revenue per store. A
 * store-scoped user sees the figures of their stores only. Four grouped queries, whatever the data.
 */
@Controller
class OverviewPage {

    static final int CHART_DAYS = 90;
    static final int PERIOD_DAYS = 30;
    static final int TOP_STORES = 15;
    /** The pseudo store id of the "other stores" bar. */
    static final long OTHERS = -1;

    /** A figure of the last 30 days beside the 30 before; {@code trend} is up, down, flat or new. */
    record Change(String value, String previous, String delta, String trend, boolean good) {}

    /** The KPI cards as shown, numbers formatted for the page's language. */
    record Kpis(String customers, String buyers, String repeatBuyers, String repeatRate, Change receipts,
                Change revenue, Change refunds, String refundCount, String averageTicket) {}

    private final PurchaseFigures figures;
    private final Customers customers;
    private final Catalog catalog;
    private final Clock clock;
    private final ZoneId zone;
    private final MessageSource messages;

    OverviewPage(PurchaseFigures figures, Customers customers, Catalog catalog, Clock clock,
                 RegularsProperties properties, MessageSource messages) {
        this.messages = messages;
        this.figures = figures;
        this.customers = customers;
        this.catalog = catalog;
        this.clock = clock;
        this.zone = properties.timezone();
    }

    @GetMapping("/")
    String overview(Model model, Locale locale) {
        Caller caller = Callers.current();
        StoreFilter stores = StoreFilter.of(caller);
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate periodStart = today.minusDays(PERIOD_DAYS - 1);

        List<Day> days = figures.daily(today.minusDays(CHART_DAYS - 1), today, stores);
        Totals last = Totals.of(days, periodStart, today);
        Totals before = Totals.of(days, periodStart.minusDays(PERIOD_DAYS), periodStart.minusDays(1));
        RepeatCustomers repeat = figures.repeatCustomers(stores);
        long customerCount = caller.allStores() ? customers.count() : customers.countByHomeStores(caller.storeIds());
        Map<Long, Store> storesById = catalog.stores().stream().collect(Collectors.toMap(Store::id, Function.identity()));
        List<ByStore> allStores = figures.byStore(periodStart, today, stores);
        List<ByStore> byStore = topStores(allStores);
        String others = messages.getMessage("overview.chart.otherStores",
                new Object[] {allStores.size() - TOP_STORES}, locale);

        Numbers n = new Numbers(locale);
        model.addAttribute("caller", caller);
        boolean hasReceipts = days.stream().anyMatch(d -> d.receipts() + d.refunds() > 0);
        model.addAttribute("empty", customerCount == 0 && repeat.buyers() == 0 && !hasReceipts);
        model.addAttribute("hasReceipts", hasReceipts);
        model.addAttribute("periodFrom", periodStart);
        model.addAttribute("periodTo", today);
        model.addAttribute("scopeStores", caller.allStores() ? List.of()
                : new StoreScope(catalog.stores()).labels(caller.storeIds()));
        model.addAttribute("kpis", new Kpis(n.count(customerCount), n.count(repeat.buyers()), n.count(repeat.repeatBuyers()),
                n.percent(repeat.rate()),
                n.change(last.receipts, before.receipts, true, n::count),
                n.change(last.revenueCents, before.revenueCents, true, n::money),
                n.change(last.refundsCents, before.refundsCents, false, n::money),
                n.count(last.refunds),
                last.receipts == 0 ? "—" : n.money(Math.round((double) last.revenueCents / last.receipts))));
        // Plain lists and strings: the page's script gets them as JSON through Thymeleaf's inlining.
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("days", days.stream().map(d -> d.day().toString()).toList());
        charts.put("periodFrom", periodStart.toString());
        charts.put("receipts", days.stream().map(Day::receipts).toList());
        charts.put("revenue", days.stream().map(d -> yuan(d.revenueCents())).toList());
        charts.put("stores", byStore.stream().map(s -> s.storeId() == OTHERS ? others
                : storeLabel(storesById.get(s.storeId()), s.storeId())).toList());
        charts.put("storeRevenue", byStore.stream().map(s -> yuan(s.revenueCents())).toList());
        charts.put("storeReceipts", byStore.stream().map(ByStore::receipts).toList());
        model.addAttribute("charts", charts);
        model.addAttribute("storeChartHeight", Math.max(260, 36 * byStore.size() + 40));
        return "overview";
    }

    /**
     * A chain of 200 stores would make an unreadable chart: the {@link #TOP_STORES} with the most revenue,
     * then one bar for the rest (its store id {@link #OTHERS}, its receipts counting the stores in it).
     */
    static List<ByStore> topStores(List<ByStore> all) {
        List<ByStore> sorted = all.stream().sorted(Comparator.comparingLong(ByStore::revenueCents).reversed()).toList();
        if (sorted.size() <= TOP_STORES + 1) {
            return sorted;
        }
        List<ByStore> rest = sorted.subList(TOP_STORES, sorted.size());
        List<ByStore> shown = new ArrayList<>(sorted.subList(0, TOP_STORES));
        shown.add(new ByStore(OTHERS, rest.stream().mapToLong(ByStore::receipts).sum(),
                rest.stream().mapToLong(ByStore::revenueCents).sum(), rest.stream().mapToLong(ByStore::refunds).sum(),
                rest.stream().mapToLong(ByStore::refundsCents).sum()));
        return shown;
    }

    private static String storeLabel(Store store, long id) {
        return store == null ? "#" + id : store.name();
    }

    private static BigDecimal yuan(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** Sums of some of the chart's days. */
    private record Totals(long receipts, long revenueCents, long refunds, long refundsCents) {

        static Totals of(List<Day> days, LocalDate from, LocalDate to) {
            long receipts = 0;
            long revenue = 0;
            long refunds = 0;
            long refunded = 0;
            for (Day d : days) {
                if (!d.day().isBefore(from) && !d.day().isAfter(to)) {
                    receipts += d.receipts();
                    revenue += d.revenueCents();
                    refunds += d.refunds();
                    refunded += d.refundsCents();
                }
            }
            return new Totals(receipts, revenue, refunds, refunded);
        }
    }

    /** Numbers as the page's language writes them: 12,345 · ¥12,346 · 38.5%. */
    private static final class Numbers {

        private final NumberFormat whole;
        private final NumberFormat percent;

        Numbers(Locale locale) {
            whole = NumberFormat.getIntegerInstance(locale);
            percent = NumberFormat.getPercentInstance(locale);
            percent.setMaximumFractionDigits(1);
            percent.setMinimumFractionDigits(1);
        }

        String count(long n) {
            return whole.format(n);
        }

        /** Whole yuan: a card answers "how much", cents would only add noise. */
        String money(long cents) {
            return "¥" + whole.format(Math.round(cents / 100.0));
        }

        String percent(double share) {
            return percent.format(share);
        }

        /** {@code higherIsBetter} false for refunds: more of them is bad news. */
        Change change(long now, long before, boolean higherIsBetter, LongFunction<String> format) {
            if (before == 0) {
                return new Change(format.apply(now), format.apply(0), "", now == 0 ? "flat" : "new",
                        higherIsBetter || now == 0);
            }
            double delta = (double) (now - before) / before;
            String trend = now > before ? "up" : now < before ? "down" : "flat";
            String sign = now > before ? "+" : "";
            boolean good = now == before || (now > before) == higherIsBetter;
            return new Change(format.apply(now), format.apply(before), sign + percent(delta), trend, good);
        }
    }
}
