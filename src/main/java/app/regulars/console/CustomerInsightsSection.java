package app.regulars.console;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.insights.CustomerInsights;
import app.regulars.insights.Insights;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
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
        });
        return "insights/customer-section :: insights";
    }

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
