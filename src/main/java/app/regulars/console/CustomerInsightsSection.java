package app.regulars.console;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Category;
import app.regulars.catalog.Store;
import app.regulars.insights.CustomerInsights;
import app.regulars.insights.Insights;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The customer 360 page's insights card: RFM, the personal repurchase cycle and when the next purchase
 * is due, preferences and rates. The figures span the whole chain, so store-scoped users (who see only
 * their stores' receipts on the page) do not get the card.
 */
@Controller
class CustomerInsightsSection {

    private final Insights insights;
    private final Catalog catalog;
    private final MessageSource messages;

    CustomerInsightsSection(Insights insights, Catalog catalog, MessageSource messages) {
        this.insights = insights;
        this.catalog = catalog;
        this.messages = messages;
    }

    @GetMapping("/customers/{id}/insights-section")
    String section(@PathVariable long id, Model model, Locale locale) {
        if (!Callers.current().allStores()) {
            return "insights/customer-section :: nothing";
        }
        Optional<CustomerInsights> found = insights.metricsOf(id);
        model.addAttribute("ready", insights.figures().ready());
        model.addAttribute("m", found.orElse(null));
        found.map(CustomerInsights::rfmSegment).ifPresent(segment -> model.addAttribute("segment",
                messages.getMessage(RepurchasePage.rfmKey(segment), null, segment, locale)));
        found.ifPresent(m -> {
            model.addAttribute("monetary", yuan(m.monetaryCents()));
            model.addAttribute("aov", m.averageOrderCents() == null ? null : yuan(m.averageOrderCents()));
            model.addAttribute("couponRate", percent(m.couponRedemptionRate()));
            model.addAttribute("returnsRate", percent(m.returnsRate()));
            model.addAttribute("holidayShare", percent(m.holidayShare()));
            model.addAttribute("overdueDays", overdueDays(m));
            model.addAttribute("preferred", String.join(" / ", storeName(m.preferredStore()),
                    word("purchases.channel.", m.preferredChannel(), locale),
                    word("purchases.payment.", m.preferredPayment(), locale)));
            Map<String, Category> categories = m.categories().isEmpty() ? Map.of()
                    : catalog.categories().stream().collect(Collectors.toMap(Category::code, c -> c));
            model.addAttribute("categoryRows", m.categories().stream()
                    .map(f -> categoryRow(f, categories.get(f.code()), locale)).toList());
            model.addAttribute("storeRows", m.stores().stream().map(f -> new MixRow(storeName(f.code()), f.orders(),
                    yuan(f.spentCents()), f.lastPurchaseDate(), f.share(), null)).toList());
            model.addAttribute("interactionRows", m.interactions().stream().map(i -> new InteractionRow(
                    word("purchases.kind.", i.type(), locale), i.total(), i.recent())).toList());
        });
        return "insights/customer-section :: insights";
    }

    /** A row of the category or store table: who, how often, how much, when last, and the share as a bar. */
    record MixRow(String name, int orders, BigDecimal spent, LocalDate lastPurchaseDate, Double share, String due) {
        public String sharePercent() {
            return percent(share);
        }

        /** The bar's width in percent, 0 for a negative or unknown share. */
        public long barWidth() {
            return share == null ? 0 : Math.max(0, Math.round(share * 100));
        }
    }

    /** Interactions of one type in the reader's words: all, and the last 90 days'. */
    record InteractionRow(String type, int total, int recent) {}

    /**
     * How many days the next purchase is late, null when it is not yet due or cannot be told. WHY: a
     * "next purchase" date months ago reads as a mistake; "overdue by 249 days" is the story.
     */
    static Integer overdueDays(CustomerInsights m) {
        if (m.repurchaseCycleDays() == null || m.daysSinceLastPurchase() == null) {
            return null;
        }
        long late = m.daysSinceLastPurchase() - Math.round(m.repurchaseCycleDays());
        return late > 0 ? (int) late : null;
    }

    /**
     * A category by its name (its code when the catalog lost it, "uncategorised" for lines with none),
     * and whether its repurchase cycle has come round since the last purchase in it. WHY: "skincare, 52
     * days ago, cycle 45" is the moment a clerk or a journey should act on, and the catalog knows the cycle.
     */
    private MixRow categoryRow(CustomerInsights.SpendFigures f, Category category, Locale locale) {
        String name = f.code() == null ? messages.getMessage("analytics.customer.uncategorised", null, locale)
                : category == null ? f.code() : category.name();
        Integer cycle = category == null ? null : category.effectiveRepurchaseCycleDays();
        Integer since = f.daysSinceLastPurchase();
        String due = cycle != null && since != null && since >= cycle
                ? messages.getMessage("analytics.customer.due", new Object[] {since, cycle}, locale) : null;
        return new MixRow(name, f.orders(), yuan(f.spentCents()), f.lastPurchaseDate(), f.share(), due);
    }

    /** A store by its name, as the timeline beside it shows stores; the code when the catalog lost it. */
    private String storeName(String code) {
        return code == null ? "—" : catalog.storeByCode(code).map(Store::name).orElse(code);
    }

    /** A channel or payment code in the reader's words (store is 门店), the code itself when unknown. */
    private String word(String prefix, String code, Locale locale) {
        return code == null ? "—" : messages.getMessage(prefix + code, null, code, locale);
    }

    /** A share as a percentage with one decimal, or a dash. */
    static String percent(Double share) {
        return share == null ? "—" : BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP) + "%";
    }

    private static BigDecimal yuan(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
