package app.regulars.console;

import app.regulars.catalog.Catalog;
import app.regulars.loyalty.LoyaltyProgram;
import app.regulars.loyalty.LoyaltyProgram.CouponOffer;
import app.regulars.loyalty.LoyaltyProgram.EarningRule;
import app.regulars.loyalty.LoyaltyProgram.Gift;
import app.regulars.loyalty.LoyaltyProgram.RuleDraft;
import app.regulars.loyalty.LoyaltyProgram.RuleTerms;
import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.loyalty.ManualChanges;
import app.regulars.loyalty.PointsLedger;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RegularsProperties;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The loyalty console (会员积分): overview, earning rules with their conflicts, tiers, gifts and
 * settings; and the loyalty section of the customer 360 page with manual adjustment. Programme-wide
 * configuration is for chain-wide roles (owner, HQ); a store-scoped user sees it read-only. Manual
 * points and tier changes are for the owner, HQ and store managers ({@link ManualChanges}).
 */
@Controller
class LoyaltyPages {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** A rule as the list shows it. */
    record RuleRow(long id, String name, String kind, boolean active, String window, String terms, boolean conflicted) {}

    /** A ledger entry as the 360 page shows it. */
    record EntryRow(long id, String at, String kind, long points, String reason, String actor, String draws) {}

    /** The label of a field that a refusal on the tiers, gifts, settings or 360 forms names. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("rank", "loyalty.tier.rank"), Map.entry("code", "loyalty.tier.code"),
            Map.entry("nameZh", "loyalty.tier.nameZh"), Map.entry("nameEn", "loyalty.tier.nameEn"),
            Map.entry("minSpend", "loyalty.tier.minSpend"), Map.entry("minSpendCents", "loyalty.tier.minSpend"),
            Map.entry("minPoints", "loyalty.tier.minPoints"), Map.entry("discountPct", "loyalty.tier.discount"),
            Map.entry("discountBasisPoints", "loyalty.tier.discount"), Map.entry("pointsMultiplier", "loyalty.tier.multiplier"),
            Map.entry("name", "loyalty.gift.name"), Map.entry("pointsPrice", "loyalty.gift.price"),
            Map.entry("stock", "loyalty.gift.stock"), Map.entry("templateCode", "loyalty.offer.template"),
            Map.entry("earnFrom", "loyalty.settings.earnFrom"), Map.entry("pendingDays", "loyalty.settings.pendingDays"),
            Map.entry("expiryPolicy", "loyalty.settings.expiry"), Map.entry("expiryN", "loyalty.settings.expiry"),
            Map.entry("reminderDays", "loyalty.settings.reminderDays"), Map.entry("shortfallPolicy", "loyalty.settings.shortfall"),
            Map.entry("multiplierMode", "loyalty.settings.multiplierMode"),
            Map.entry("cashPointsPerYuan", "loyalty.settings.cashRate"), Map.entry("cashMaxBasketPct", "loyalty.settings.cashPct"),
            Map.entry("cashMaxPoints", "loyalty.settings.cashMax"), Map.entry("tierBasis", "loyalty.settings.tierBasis"),
            Map.entry("tierReview", "loyalty.settings.tierReview"), Map.entry("tierReviewMmdd", "loyalty.settings.tierReview"),
            Map.entry("tierGracePct", "loyalty.settings.grace"), Map.entry("points", "loyalty.c360.points"),
            Map.entry("reason", "loyalty.c360.reason"), Map.entry("tierCode", "loyalty.c360.tier"),
            Map.entry("until", "loyalty.c360.until"), Map.entry("giftCode", "loyalty.c360.redeemGift"));

    /** What the ledger itself writes as an entry's reason, by kind; people's reasons and rule names stay as written. */
    private static final Map<String, String> SYSTEM_REASONS = Map.of("expire:expired", "loyalty.reason.expired",
            "reverse:refund", "loyalty.reason.refund", "restore:refund", "loyalty.reason.refund",
            "redeem_cash:cash at the till", "loyalty.reason.cash");
    private static final Map<String, String> REDEEMED = Map.of("redeem_gift", "gift ", "redeem_coupon", "coupon ");

    private final LoyaltyProgram programme;
    private final PointsLedger ledger;
    private final Catalog catalog;
    private final MessageSource messages;
    private final Reasons reasons;
    private final ZoneId zone;

    LoyaltyPages(LoyaltyProgram programme, PointsLedger ledger, Catalog catalog, MessageSource messages,
                 Reasons reasons, RegularsProperties properties) {
        this.reasons = reasons;
        this.programme = programme;
        this.ledger = ledger;
        this.catalog = catalog;
        this.messages = messages;
        this.zone = properties.timezone();
    }

    // ---- overview -----------------------------------------------------------------------------

    /** With {@code verify}, the ledger check runs and its result shows above the figures. */
    @GetMapping("/loyalty")
    String overview(@RequestParam(defaultValue = "false") boolean verify, Model model, Locale locale) {
        if (verify) {
            model.addAttribute("verification", ledger.verify(null));
        }
        LoyaltyProgram.Figures f = programme.figures();
        Settings s = programme.settings();
        NumberFormat whole = NumberFormat.getIntegerInstance(locale);
        model.addAttribute("tab", "overview");
        model.addAttribute("liability", whole.format(f.liabilityPoints()));
        model.addAttribute("liabilityYuan", "¥" + whole.format(Math.round(f.liabilityCents() / 100.0)));
        model.addAttribute("pending", whole.format(f.pendingPoints()));
        model.addAttribute("expiring", whole.format(f.expiring30Days()));
        model.addAttribute("members", whole.format(f.members()));
        model.addAttribute("debt", whole.format(f.debtPoints()));
        model.addAttribute("shortfall", whole.format(f.shortfallPoints()));
        model.addAttribute("rate", s.cashPointsPerYuan());
        boolean zh = "zh".equals(locale.getLanguage());
        long revenue = f.tiers().stream().mapToLong(LoyaltyProgram.TierShare::spendCents).sum();
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("tiers", f.tiers().stream().map(t -> zh ? t.nameZh() : t.nameEn()).toList());
        charts.put("members", f.tiers().stream().map(LoyaltyProgram.TierShare::members).toList());
        charts.put("revenue", f.tiers().stream().map(t -> BigDecimal.valueOf(t.spendCents(), 2)).toList());
        charts.put("revenueShare", f.tiers().stream().map(t -> revenue == 0 ? 0
                : BigDecimal.valueOf(t.spendCents() * 1000 / revenue, 1)).toList());
        charts.put("months", f.months().stream().map(LoyaltyProgram.Month::month).toList());
        charts.put("earned", f.months().stream().map(LoyaltyProgram.Month::earned).toList());
        charts.put("spent", f.months().stream().map(LoyaltyProgram.Month::spent).toList());
        charts.put("expired", f.months().stream().map(LoyaltyProgram.Month::expired).toList());
        charts.put("reversed", f.months().stream().map(LoyaltyProgram.Month::reversed).toList());
        model.addAttribute("charts", charts);
        model.addAttribute("shares", f.tiers());
        model.addAttribute("revenueTotal", revenue);
        return "loyalty/overview";
    }

    // ---- earning rules ------------------------------------------------------------------------

    @GetMapping("/loyalty/rules")
    String rules(@RequestParam(required = false) Long edit, Model model, Locale locale) {
        Map<String, String> form = new LinkedHashMap<>();
        if (edit != null) {
            EarningRule rule = programme.rules().stream().filter(r -> r.id() == edit).findFirst()
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
            form = formOf(rule);
        } else {
            form.put("kind", "special_days");
            form.put("active", "true");
        }
        return showRules(form, Map.of(), model, locale);
    }

    @PostMapping("/loyalty/rules")
    String saveRule(@RequestParam Map<String, String> form, Model model, Locale locale, RedirectAttributes redirect) {
        ChainWideOnly.require();
        List<FieldError> errors = new ArrayList<>();
        RuleDraft draft = draftOf(form, errors);
        Long id = blank(form.get("id")) ? null : Long.valueOf(form.get("id"));
        if (errors.isEmpty()) {
            try {
                programme.saveRule(id, draft);
                redirect.addFlashAttribute("saved", true);
                return "redirect:/loyalty/rules";
            } catch (ApiProblem problem) {
                errors.addAll(problem.errors());
            }
        }
        return showRules(form, reasons.byField(errors, LoyaltyPages::ruleField, locale), model, locale);
    }

    /** The rule form's field for a field of the API's draft (terms.minBasketCents is the minBasket box). */
    private static String ruleField(String field) {
        String f = field.replace("terms.", "");
        return "minBasketCents".equals(f) ? "minBasket" : f;
    }

    @PostMapping("/loyalty/rules/{id}/active")
    String toggleRule(@PathVariable long id, @RequestParam boolean active) {
        ChainWideOnly.require();
        EarningRule r = programme.rules().stream().filter(x -> x.id() == id).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        programme.saveRule(id, new RuleDraft(r.name(), r.kind(), active, r.startsOn(), r.endsOn(), r.terms()));
        return "redirect:/loyalty/rules";
    }

    private String showRules(Map<String, String> form, Map<String, String> errors, Model model, Locale locale) {
        List<EarningRule> rules = programme.rules();
        List<LoyaltyProgram.Conflict> conflicts = programme.conflicts();
        Set<Long> conflicted = new LinkedHashSet<>();
        conflicts.forEach(c -> {
            conflicted.add(c.ruleId());
            conflicted.add(c.otherId());
        });
        model.addAttribute("tab", "rules");
        model.addAttribute("rules", rules.stream().map(r -> new RuleRow(r.id(), r.name(), r.kind(), r.active(),
                window(r.startsOn(), r.endsOn(), locale), terms(r, locale), conflicted.contains(r.id()))).toList());
        model.addAttribute("conflicts", conflicts);
        model.addAttribute("kinds", List.of("per_amount", "multiplier", "exclusion", "minimum_basket", "special_days",
                "birthday_month", "signup_bonus", "first_purchase_bonus", "referral", "interaction"));
        model.addAttribute("interactions", List.of("check_in", "visit", "review", "survey_answer", "favourite", "share",
                "message_clicked"));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "loyalty/rules";
    }

    /** The form's text fields as a draft; what cannot be read is named in {@code errors}. */
    private RuleDraft draftOf(Map<String, String> f, List<FieldError> errors) {
        BigDecimal perYuan = decimal(f, "pointsPerYuan", errors);
        BigDecimal factor = decimal(f, "factor", errors);
        Long minBasket = null;
        BigDecimal yuan = decimal(f, "minBasket", errors);
        if (yuan != null) {
            minBasket = yuan.movePointRight(2).longValue();
        }
        RuleTerms terms = new RuleTerms(perYuan, factor, words(f.get("categories")), words(f.get("skuCodes")), Set.of(),
                words(f.get("storeCodes")), Set.of(), minBasket, dates(f, errors), ints(f, "daysOfMonth", errors),
                ints(f, "weekdays", errors), whole(f, "points", errors), whole(f, "referrerPoints", errors),
                whole(f, "refereePoints", errors), blank(f.get("interactionType")) ? null : f.get("interactionType"),
                whole(f, "dailyCap", errors) == null ? null : whole(f, "dailyCap", errors).intValue());
        return new RuleDraft(f.get("name"), f.get("kind"), "true".equals(f.get("active")) || "on".equals(f.get("active")),
                date(f, "startsOn", errors), date(f, "endsOn", errors), terms);
    }

    private Map<String, String> formOf(EarningRule r) {
        RuleTerms t = r.terms();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", String.valueOf(r.id()));
        f.put("name", r.name());
        f.put("kind", r.kind());
        f.put("active", String.valueOf(r.active()));
        f.put("startsOn", r.startsOn() == null ? "" : r.startsOn().toString());
        f.put("endsOn", r.endsOn() == null ? "" : r.endsOn().toString());
        f.put("pointsPerYuan", plain(t.pointsPerYuan()));
        f.put("factor", plain(t.factor()));
        f.put("categories", String.join(", ", t.categories()));
        f.put("skuCodes", String.join(", ", t.skuCodes()));
        f.put("storeCodes", String.join(", ", t.storeCodes()));
        f.put("minBasket", t.minBasketCents() == null ? "" : BigDecimal.valueOf(t.minBasketCents(), 2).toPlainString());
        f.put("dates", t.dates().stream().sorted().map(LocalDate::toString).collect(Collectors.joining(", ")));
        f.put("daysOfMonth", t.daysOfMonth().stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")));
        f.put("weekdays", t.weekdays().stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")));
        f.put("points", t.points() == null ? "" : t.points().toString());
        f.put("referrerPoints", t.referrerPoints() == null ? "" : t.referrerPoints().toString());
        f.put("refereePoints", t.refereePoints() == null ? "" : t.refereePoints().toString());
        f.put("interactionType", t.interactionType() == null ? "" : t.interactionType());
        f.put("dailyCap", t.dailyCap() == null ? "" : t.dailyCap().toString());
        return f;
    }

    /** One line that says what a rule does, in the page's language. */
    private String terms(EarningRule r, Locale locale) {
        RuleTerms t = r.terms();
        List<String> parts = new ArrayList<>();
        switch (r.kind()) {
            case "per_amount" -> parts.add(msg("loyalty.terms.perYuan", locale, plain(t.pointsPerYuan())));
            case "multiplier", "birthday_month" -> parts.add("×" + plain(t.factor()));
            case "special_days" -> {
                parts.add("×" + plain(t.factor()));
                if (!t.dates().isEmpty()) {
                    parts.add(t.dates().stream().sorted().map(LocalDate::toString).collect(Collectors.joining(", ")));
                }
                if (!t.daysOfMonth().isEmpty()) {
                    parts.add(msg("loyalty.terms.daysOfMonth", locale, t.daysOfMonth().stream().sorted().map(String::valueOf)
                            .collect(Collectors.joining(", "))));
                }
                if (!t.weekdays().isEmpty()) {
                    parts.add(msg("loyalty.terms.weekdays", locale, t.weekdays().stream().sorted().map(String::valueOf)
                            .collect(Collectors.joining(", "))));
                }
            }
            case "minimum_basket" -> parts.add(msg("loyalty.terms.minBasket", locale,
                    BigDecimal.valueOf(t.minBasketCents() == null ? 0 : t.minBasketCents(), 2).toPlainString()));
            case "signup_bonus", "first_purchase_bonus" -> parts.add("+" + t.points());
            case "referral" -> parts.add(msg("loyalty.terms.referral", locale, t.referrerPoints() == null ? 0 : t.referrerPoints(),
                    t.refereePoints() == null ? 0 : t.refereePoints()));
            case "interaction" -> parts.add(msg("loyalty.terms.interaction", locale,
                    msg("loyalty.interaction." + t.interactionType(), locale), t.points(), t.dailyCap()));
            default -> { /* exclusions are described by their scope alone */ }
        }
        if (!t.categories().isEmpty()) {
            parts.add(msg("loyalty.terms.categories", locale, String.join(", ", t.categories())));
        }
        if (!t.skuCodes().isEmpty()) {
            parts.add(msg("loyalty.terms.skus", locale, String.join(", ", t.skuCodes())));
        }
        if (!t.storeCodes().isEmpty()) {
            parts.add(msg("loyalty.terms.stores", locale, String.join(", ", t.storeCodes())));
        }
        return String.join(" · ", parts);
    }

    private String window(LocalDate from, LocalDate to, Locale locale) {
        if (from == null && to == null) {
            return msg("loyalty.window.always", locale);
        }
        return (from == null ? "…" : from.toString()) + " – " + (to == null ? "…" : to.toString());
    }

    // ---- tiers, gifts, settings ---------------------------------------------------------------

    @GetMapping("/loyalty/tiers")
    String tiers(Model model) {
        model.addAttribute("tab", "tiers");
        model.addAttribute("tiers", programme.tiers());
        model.addAttribute("settings", programme.settings());
        return "loyalty/tiers";
    }

    @PostMapping("/loyalty/tiers")
    String saveTier(@RequestParam Map<String, String> f, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            List<FieldError> errors = new ArrayList<>();
            BigDecimal spend = decimal(f, "minSpend", errors);
            BigDecimal discount = decimal(f, "discountPct", errors);
            Tier tier = new Tier(f.get("code"), (int) orZero(whole(f, "rank", errors)), f.get("nameZh"), f.get("nameEn"),
                    spend == null ? 0 : spend.movePointRight(2).longValue(), orZero(whole(f, "minPoints", errors)),
                    discount == null ? 0 : discount.movePointRight(2).intValue(),
                    decimal(f, "pointsMultiplier", errors), f.get("birthdayGift"), f.containsKey("earlyAccess"),
                    f.containsKey("advisor"), f.containsKey("freeShipping"));
            throwIfAny(errors);
            programme.saveTier(tier);
            redirect.addFlashAttribute("saved", true);
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("error", shown(problem, locale));
        }
        return "redirect:/loyalty/tiers";
    }

    @GetMapping("/loyalty/gifts")
    String gifts(Model model) {
        model.addAttribute("tab", "gifts");
        model.addAttribute("gifts", programme.gifts());
        model.addAttribute("offers", programme.couponOffers());
        return "loyalty/gifts";
    }

    @PostMapping("/loyalty/gifts")
    String saveGift(@RequestParam Map<String, String> f, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            List<FieldError> errors = new ArrayList<>();
            Gift gift = new Gift(f.get("code"), f.get("name"), orZero(whole(f, "pointsPrice", errors)),
                    (int) orZero(whole(f, "stock", errors)), f.containsKey("active"));
            throwIfAny(errors);
            programme.saveGift(gift);
            redirect.addFlashAttribute("saved", true);
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("error", shown(problem, locale));
        }
        return "redirect:/loyalty/gifts";
    }

    @PostMapping("/loyalty/coupon-offers")
    String saveOffer(@RequestParam Map<String, String> f, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            List<FieldError> errors = new ArrayList<>();
            CouponOffer offer = new CouponOffer(f.get("templateCode"), orZero(whole(f, "pointsPrice", errors)),
                    f.containsKey("active"));
            throwIfAny(errors);
            programme.saveCouponOffer(offer);
            redirect.addFlashAttribute("saved", true);
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("error", shown(problem, locale));
        }
        return "redirect:/loyalty/gifts";
    }

    @GetMapping("/loyalty/settings")
    String settings(Model model) {
        Settings s = programme.settings();
        model.addAttribute("tab", "settings");
        model.addAttribute("settings", s);
        model.addAttribute("earnFrom", s.earnFrom() == null ? "" : LocalDate.ofInstant(s.earnFrom(), zone).toString());
        return "loyalty/settings";
    }

    @PostMapping("/loyalty/settings")
    String saveSettings(@RequestParam Map<String, String> f, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        Settings old = programme.settings();
        List<FieldError> errors = new ArrayList<>();
        LocalDate earnFrom = date(f, "earnFrom", errors);
        try {
            Settings s = new Settings(earnFrom == null ? null : earnFrom.atStartOfDay(zone).toInstant(),
                    (int) orZero(whole(f, "pendingDays", errors)), f.getOrDefault("expiryPolicy", old.expiryPolicy()),
                    (int) orZero(whole(f, "expiryN", errors)), (int) orZero(whole(f, "reminderDays", errors)),
                    f.getOrDefault("shortfallPolicy", old.shortfallPolicy()), f.getOrDefault("multiplierMode", old.multiplierMode()),
                    (int) orZero(whole(f, "cashPointsPerYuan", errors)), (int) orZero(whole(f, "cashMaxBasketPct", errors)),
                    orZero(whole(f, "cashMaxPoints", errors)), f.getOrDefault("tierBasis", old.tierBasis()),
                    f.getOrDefault("tierReview", old.tierReview()), f.getOrDefault("tierReviewMmdd", old.tierReviewMmdd()),
                    (int) orZero(whole(f, "tierGracePct", errors)));
            throwIfAny(errors);
            programme.saveSettings(s);
            redirect.addFlashAttribute("saved", true);
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("error", shown(problem, locale));
        }
        return "redirect:/loyalty/settings";
    }

    // ---- the customer 360 section -------------------------------------------------------------

    @GetMapping("/customers/{id}/loyalty")
    String customerSection(@PathVariable long id, Model model, Locale locale) {
        PointsLedger.Account a = ledger.account(id);
        NumberFormat whole = NumberFormat.getIntegerInstance(locale);
        boolean zh = "zh".equals(locale.getLanguage());
        List<Tier> tiers = programme.tiers();
        Map<String, Tier> byCode = tiers.stream().collect(Collectors.toMap(Tier::code, Function.identity()));
        Tier tier = byCode.getOrDefault(a.tierCode(), tiers.getFirst());
        model.addAttribute("customerId", id);
        model.addAttribute("account", a);
        model.addAttribute("tier", tier);
        model.addAttribute("tierName", zh ? tier.nameZh() : tier.nameEn());
        Tier next = tiers.stream().filter(t -> t.rank() > tier.rank()).findFirst().orElse(null);
        model.addAttribute("nextTierName", next == null ? null : zh ? next.nameZh() : next.nameEn());
        model.addAttribute("toNext", "points".equals(programme.settings().tierBasis()) ? whole.format(a.toNextTier())
                : "¥" + whole.format(Math.round(a.toNextTier() / 100.0)));
        model.addAttribute("qualifyingSpend", "¥" + whole.format(Math.round(a.qualifyingSpendCents() / 100.0)));
        model.addAttribute("tierSince", a.tierSince() == null ? "—" : a.tierSince().atZone(zone).format(MINUTES));
        model.addAttribute("manualUntil", a.manualTierUntil() == null ? null : a.manualTierUntil().atZone(zone).format(MINUTES));
        model.addAttribute("tiers", tiers);
        model.addAttribute("gifts", programme.gifts().stream().filter(g -> g.active() && g.stock() > 0).toList());
        model.addAttribute("entries", ledger.entries(id, 50).stream().map(e -> new EntryRow(e.id(),
                e.occurredAt().atZone(zone).format(MINUTES), e.kind(), e.points(), reason(e.kind(), e.reason(), locale),
                e.actor(), e.draws().stream().map(d -> "#" + d.lotId() + " −" + d.points())
                        .collect(Collectors.joining(", ")))).toList());
        model.addAttribute("idempotencyKey", UUID.randomUUID().toString());
        model.addAttribute("mayChange", ManualChanges.allowed());
        model.addAttribute("benefits", benefits(tier, locale));
        return "loyalty/customer-section :: section";
    }

    /** The forms of the section post through htmx and get the section back, with what happened. */
    @PostMapping("/customers/{id}/loyalty/adjust")
    String adjust(@PathVariable long id, @RequestParam String points, @RequestParam String reason,
                  @RequestParam String idempotencyKey, Model model, Locale locale) {
        requireMayChange();
        try {
            ledger.adjust(id, Long.parseLong(points.strip()), reason, idempotencyKey);
            model.addAttribute("loyaltyNotice", "loyalty.c360.adjusted");
        } catch (NumberFormatException e) {
            model.addAttribute("loyaltyError", shown(Reasons.notWholeNumber("points"), locale));
        } catch (ApiProblem problem) {
            model.addAttribute("loyaltyError", shown(problem, locale));
        }
        return customerSection(id, model, locale);
    }

    @PostMapping("/customers/{id}/loyalty/tier")
    String manualTier(@PathVariable long id, @RequestParam String tierCode, @RequestParam String until,
                      @RequestParam String reason, Model model, Locale locale) {
        requireMayChange();
        try {
            LocalDate end = LocalDate.parse(until.strip());
            ledger.setManualTier(id, tierCode, end.plusDays(1).atStartOfDay(zone).toInstant(), reason);
            model.addAttribute("loyaltyNotice", "loyalty.c360.tierSet");
        } catch (java.time.format.DateTimeParseException e) {
            model.addAttribute("loyaltyError", shown(Reasons.notDate("until"), locale));
        } catch (ApiProblem problem) {
            model.addAttribute("loyaltyError", shown(problem, locale));
        }
        return customerSection(id, model, locale);
    }

    @PostMapping("/customers/{id}/loyalty/gift")
    String redeemGift(@PathVariable long id, @RequestParam String giftCode, @RequestParam String idempotencyKey,
                      Model model, Locale locale) {
        try {
            ledger.redeemGift(id, giftCode, idempotencyKey);
            model.addAttribute("loyaltyNotice", "loyalty.c360.giftRedeemed");
        } catch (ApiProblem problem) {
            model.addAttribute("loyaltyError", shown(problem, locale));
        }
        return customerSection(id, model, locale);
    }

    private List<String> benefits(Tier t, Locale locale) {
        List<String> list = new ArrayList<>();
        if (t.discountBasisPoints() > 0) {
            list.add(msg("loyalty.benefit.discount", locale, BigDecimal.valueOf(t.discountBasisPoints(), 2).stripTrailingZeros()
                    .toPlainString()));
        }
        if (t.pointsMultiplier() != null && t.pointsMultiplier().compareTo(BigDecimal.ONE) != 0) {
            list.add(msg("loyalty.benefit.multiplier", locale, plain(t.pointsMultiplier())));
        }
        if (t.birthdayGift() != null) {
            list.add(msg("loyalty.benefit.birthday", locale, t.birthdayGift()));
        }
        if (t.earlyAccess()) {
            list.add(msg("loyalty.benefit.earlyAccess", locale));
        }
        if (t.advisor()) {
            list.add(msg("loyalty.benefit.advisor", locale));
        }
        if (t.freeShipping()) {
            list.add(msg("loyalty.benefit.freeShipping", locale));
        }
        return list;
    }

    // ---- form reading -------------------------------------------------------------------------

    /** Manual points and tier changes: not for clerks and analysts (their forms are not shown to them either). */
    private static void requireMayChange() {
        if (!ManualChanges.allowed()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "manual points and tier changes are for the owner, HQ marketers and store managers");
        }
    }

    private String msg(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }

    /** An entry's reason in the reader's language when the ledger wrote it ("gift MUG-01" is 兑换礼品 MUG-01). */
    private String reason(String kind, String reason, Locale locale) {
        String system = reason == null ? null : SYSTEM_REASONS.get(kind + ":" + reason);
        if (system != null) {
            return msg(system, locale);
        }
        String prefix = REDEEMED.get(kind);
        return prefix != null && reason != null && reason.startsWith(prefix)
                ? msg("loyalty.reason." + kind, locale, reason.substring(prefix.length())) : reason;
    }

    /** A refusal as a form's notice shows it: the field's label and why, in the reader's language. */
    private String shown(ApiProblem problem, Locale locale) {
        return problem.errors().isEmpty() ? problem.getMessage() : shown(problem.errors().getFirst(), locale);
    }

    private String shown(FieldError error, Locale locale) {
        String label = LABELS.get(error.field());
        return reasons.at(label == null ? null : msg(label, locale), reasons.of(error, locale), locale);
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String plain(BigDecimal d) {
        return d == null ? "" : d.stripTrailingZeros().toPlainString();
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static Set<String> words(String s) {
        if (blank(s)) {
            return Set.of();
        }
        return Arrays.stream(s.split("[,，\\s]+")).map(String::strip).filter(w -> !w.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static BigDecimal decimal(Map<String, String> f, String field, List<FieldError> errors) {
        String s = f.get(field);
        if (blank(s)) {
            return null;
        }
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            errors.add(Reasons.notNumber(field));
            return null;
        }
    }

    private static Long whole(Map<String, String> f, String field, List<FieldError> errors) {
        String s = f.get(field);
        if (blank(s)) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            errors.add(Reasons.notWholeNumber(field));
            return null;
        }
    }

    private static Set<Integer> ints(Map<String, String> f, String field, List<FieldError> errors) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String w : words(f.get(field))) {
            try {
                out.add(Integer.parseInt(w));
            } catch (NumberFormatException e) {
                errors.add(Reasons.notWholeNumber(field));
            }
        }
        return out;
    }

    private static LocalDate date(Map<String, String> f, String field, List<FieldError> errors) {
        String s = f.get(field);
        if (blank(s)) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(Reasons.notDate(field));
            return null;
        }
    }

    private static Set<LocalDate> dates(Map<String, String> f, List<FieldError> errors) {
        Set<LocalDate> out = new LinkedHashSet<>();
        for (String w : words(f.get("dates"))) {
            try {
                out.add(LocalDate.parse(w));
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(Reasons.notDate("dates"));
            }
        }
        return out;
    }
}
