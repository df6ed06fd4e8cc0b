package app.regulars.console;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.platform.RegularsProperties;
import app.regulars.purchases.CustomerStats;
import app.regulars.purchases.PurchaseHistory;
import app.regulars.purchases.StoreFilter;
import app.regulars.purchases.TimelineEntry;
import app.regulars.purchases.TimelinePage;
import app.regulars.purchases.MonthlySpend;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The purchase sections of the customer 360 page (stats cards and the timeline), loaded by htmx
 * into the page's {@code #stats} and {@code #timeline} sections.
 */
@Controller
class PurchaseSections {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** The stats as shown: dates in the chain's timezone, money in yuan. */
    record StatsView(String firstPurchase, String lastPurchase, int orders, String spend, int refunds,
                     String refunded, String averageOrder, String netSpend) {}

    /** One timeline row as shown. */
    record EntryView(String kind, String label, String at, String store, String reference, String original,
                     String reason, String total, List<String> lines, Integer rating, String detail) {}

    private final PurchaseHistory history;
    private final Catalog catalog;
    private final ZoneId zone;
    private final Clock clock;
    private final MessageSource messages;

    PurchaseSections(PurchaseHistory history, Catalog catalog, RegularsProperties properties, Clock clock,
                     MessageSource messages) {
        this.history = history;
        this.catalog = catalog;
        this.zone = properties.timezone();
        this.clock = clock;
        this.messages = messages;
    }

    @GetMapping("/customers/{id}/purchase-stats")
    String stats(@PathVariable long id, Model model, Locale locale) {
        StoreFilter stores = StoreFilter.of(Callers.current());
        CustomerStats s = history.stats(id, stores);
        model.addAttribute("stats", new StatsView(format(s.firstPurchaseAt(), DAY, zone), format(s.lastPurchaseAt(), DAY, zone),
                s.orders(), yuan(s.spendCents()), s.refunds(), yuan(s.refundCents()), yuan(s.averageOrderCents()),
                yuan(s.netSpendCents())));
        YearMonth to = YearMonth.now(clock.withZone(zone));
        YearMonth from = to.minusMonths(SpendChart.MONTHS - 1);
        model.addAttribute("spendChart", SpendChart.of(history.monthly(id, zone, from, stores), from,
                m -> tooltip(m, locale)));
        return "purchases/customer-sections :: stats";
    }

    private String tooltip(MonthlySpend m, Locale locale) {
        String sales = messages.getMessage("purchases.monthly.tip", new Object[] {m.month().toString(), m.orders(),
                yuan(m.spendCents())}, locale);
        return m.refundCents() == 0 ? sales
                : sales + messages.getMessage("purchases.monthly.refunded", new Object[] {yuan(m.refundCents())}, locale);
    }

    @GetMapping("/customers/{id}/purchase-timeline")
    String timeline(@PathVariable long id, @RequestParam(defaultValue = "0") int page, Model model) {
        TimelinePage p = history.timeline(id, Math.max(page, 0), StoreFilter.of(Callers.current()));
        model.addAttribute("customerId", id);
        model.addAttribute("entries", p.entries().stream().map(this::view).toList());
        model.addAttribute("page", p.page());
        model.addAttribute("hasMore", p.hasMore());
        return p.page() == 0 ? "purchases/customer-sections :: timeline" : "purchases/customer-sections :: rows";
    }

    private EntryView view(TimelineEntry e) {
        ZoneId at = e.storeId() == null ? zone : catalog.store(e.storeId()).map(Store::timezone).orElse(zone);
        List<String> lines = e.lines().stream()
                .map(l -> product(l) + " × " + l.quantity() + "  ¥" + yuan(l.amountCents())
                        + (l.couponCode() == null ? "" : "  [" + l.couponCode() + "]"))
                .toList();
        String detail = e.detail().isEmpty() ? null : e.detail().entrySet().stream()
                .map(d -> d.getKey() + ": " + d.getValue()).collect(Collectors.joining(", "));
        return new EntryView(e.kind(), e.isReceipt() ? e.kind() : e.type(), format(e.at(), MINUTES, at), e.storeName(),
                e.reference(), e.original(), e.reasonCode(), e.isReceipt() ? yuan(e.totalCents()) : null, lines,
                e.rating(), detail);
    }

    /** The product as a clerk knows it: its name, with the code for the till; the code alone when uncatalogued. */
    private static String product(TimelineEntry.Line line) {
        return line.skuName() == null || line.skuName().isBlank() || line.skuName().equals(line.skuCode())
                ? line.skuCode() : line.skuName() + " (" + line.skuCode() + ")";
    }

    private static String format(Instant instant, DateTimeFormatter pattern, ZoneId zone) {
        return instant == null ? null : instant.atZone(zone).format(pattern);
    }

    static String yuan(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }
}
