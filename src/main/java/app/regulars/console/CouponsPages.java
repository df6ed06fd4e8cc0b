package app.regulars.console;

import app.regulars.access.Audit;
import app.regulars.catalog.Catalog;
import app.regulars.coupons.BulkIssued;
import app.regulars.coupons.BulkPlan;
import app.regulars.coupons.CouponTemplate;
import app.regulars.coupons.CouponTemplates;
import app.regulars.coupons.Coupons;
import app.regulars.coupons.CustomerCoupon;
import app.regulars.coupons.Issue;
import app.regulars.coupons.Issued;
import app.regulars.coupons.TemplateDraft;
import app.regulars.coupons.TemplateStats;
import app.regulars.coupons.Tier;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RegularsProperties;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
 * Coupon templates with their stats, issuing, a coupon's page with its QR code, and the coupons section
 * of the customer 360 page. Creating, editing and issuing (to a customer, a list or a saved segment) is for
 * chain-wide roles (owner, HQ).
 */
@Controller
class CouponsPages {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** The template form as typed: money in yuan, dates as days, lists comma-separated. */
    record TemplateForm(String name, String kind, String amount, String percentOff, String cap, String tiers,
                        String giftSku, String giftValue, String minSpend, String categories, String skus,
                        List<String> stores, String validFrom, String validUntil, String validDays, String stacking,
                        String stacksWith, String perCustomerLimit, String totalQuantity, String budget, String active) {

        /** No store ticked is no stores parameter at all: the form shown again needs an empty list. */
        TemplateForm {
            stores = stores == null ? List.of() : stores;
        }

        static TemplateForm empty() {
            return new TemplateForm("", "fixed", "", "", "", "", "", "", "", "", "", List.of(), "", "", "30",
                    "exclusive", "", "", "", "", "true");
        }

        static TemplateForm of(CouponTemplate t, ZoneId zone) {
            return new TemplateForm(t.name(), t.kind().code(), yuan(t.amountCents()), str(t.percentOff()),
                    yuan(t.capCents()), t.tiers().stream().map(x -> yuan(x.minCents()) + ":" + yuan(x.offCents()))
                    .collect(Collectors.joining(", ")), nz(t.giftSku()), yuan(t.giftValueCents()),
                    t.minSpendCents() == 0 ? "" : yuan(t.minSpendCents()), String.join(", ", t.categories()),
                    String.join(", ", t.skus()), t.storeIds().stream().map(String::valueOf).toList(),
                    t.validFrom() == null ? "" : t.validFrom().atZone(zone).toLocalDate().toString(),
                    t.validUntil() == null ? "" : t.validUntil().atZone(zone).minusNanos(1).toLocalDate().toString(),
                    str(t.validDays()), t.stacking().code(),
                    t.stacksWith().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    str(t.perCustomerLimit()), str(t.totalQuantity()), yuan(t.budgetCents()), String.valueOf(t.active()));
        }
    }

    /** A template row of the list: terms in words and its stats. */
    record TemplateRow(CouponTemplate template, TemplateStats stats, String terms, String rate, String revenue,
                       String cost) {}

    /** A coupon as the pages show it. */
    record CouponRow(CustomerCoupon coupon, String validUntil, String face) {}

    /**
     * What issuing to a segment would do, shown before the marketer confirms: the plan, and what the
     * template has left (null: no cap).
     */
    record SegmentPlan(Segment segment, BulkPlan plan, Integer quantityLeft, String budgetLeft, String issueKey) {}

    /** What issuing to a segment did, for the page after the redirect (counts only: a flash lives in the session). */
    record SegmentIssued(String segment, long issued, long alreadyIssued, Map<String, Long> skipped)
            implements Serializable {}

    private final CouponTemplates templates;
    private final Coupons coupons;
    private final Customers customers;
    private final Catalog catalog;
    private final Audit audit;
    private final Segments segments;
    private final Reasons reasons;
    private final MessageSource messages;
    private final ZoneId zone;

    CouponsPages(CouponTemplates templates, Coupons coupons, Customers customers, Catalog catalog, Audit audit,
                 Segments segments, Reasons reasons, MessageSource messages, RegularsProperties properties) {
        this.reasons = reasons;
        this.messages = messages;
        this.templates = templates;
        this.coupons = coupons;
        this.customers = customers;
        this.catalog = catalog;
        this.audit = audit;
        this.segments = segments;
        this.zone = properties.timezone();
    }

    @GetMapping("/coupons")
    String list(Model model, Locale locale) {
        Map<Long, TemplateStats> stats = templates.stats().stream()
                .collect(Collectors.toMap(TemplateStats::templateId, s -> s));
        List<TemplateRow> rows = templates.all().stream().map(t -> row(t, stats.get(t.id()), locale)).toList();
        model.addAttribute("rows", rows);
        return "coupons/templates";
    }

    @GetMapping("/coupons/new")
    String create(Model model, Locale locale) {
        ChainWideOnly.require();
        return form(model, null, TemplateForm.empty(), Map.of(), locale);
    }

    /**
     * The template with its issue section. With {@code segment}, the section shows what issuing to that
     * segment would do now, under the page's {@code issueKey}, and a button to confirm it.
     */
    @GetMapping("/coupons/templates/{id}")
    String edit(@PathVariable long id, @RequestParam(required = false) Long segment,
                @RequestParam(required = false) String issueKey, Model model, Locale locale) {
        CouponTemplate t = templates.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        String view = form(model, t, TemplateForm.of(t, zone), Map.of(), locale);
        if (segment != null && ChainWideOnly.mayEdit()) {
            String key = issueKey == null || issueKey.isBlank() || issueKey.length() > 150 ? (String) model.getAttribute("issueKey")
                    : issueKey.strip();
            model.addAttribute("issueKey", key);
            model.addAttribute("pickedSegment", segment);
            try {
                BulkPlan plan = coupons.planForSegment(id, segment, segmentKey(key, segment));
                Segment picked = segments.find(segment).orElseThrow();
                model.addAttribute("segmentPlan", new SegmentPlan(picked, plan,
                        t.totalQuantity() == null ? null : Math.max(0, t.totalQuantity() - t.issuedCount()),
                        t.budgetCents() == null ? null : yuan(Math.max(0, t.budgetCents() - t.issuedFaceCents())), key));
            } catch (ApiProblem problem) {
                model.addAttribute("issueError", reasons.first(problem, locale));
            }
        }
        return view;
    }

    /**
     * Issues one coupon to each member of a segment, as it is now. The form carries the key its page was
     * rendered with, so sending it again (a double click, a reload) issues nothing twice.
     */
    @PostMapping("/coupons/templates/{id}/issue-segment")
    String issueToSegment(@PathVariable long id, @RequestParam long segmentId, @RequestParam String issueKey,
                          RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            Segment segment = segments.find(segmentId).orElseThrow(() -> ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Reasons.refused("segmentId", "coupons.refused.noSuchSegment", "unknown segment")));
            BulkIssued result = coupons.issueToSegment(id, segmentId, segmentKey(issueKey, segmentId), "bulk");
            audit.record("coupon.issued.segment", "coupon_template", String.valueOf(id),
                    Map.of("segmentId", segmentId, "issued", result.created(), "skipped", result.skipped().size()));
            redirect.addFlashAttribute("segmentIssued", new SegmentIssued(segment.name(), result.created(),
                    result.alreadyIssued(), result.skippedByReason()));
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("issueError", reasons.first(problem, locale));
        }
        return "redirect:/coupons/templates/" + id + "#issue";
    }

    /** One page's key, per segment: picking another segment on the same page is another issuance. */
    private static String segmentKey(String issueKey, long segmentId) {
        return issueKey.strip() + ":segment:" + segmentId;
    }

    @PostMapping("/coupons/templates")
    String save(TemplateForm form, @RequestParam(required = false) Long id, Model model, RedirectAttributes redirect,
                Locale locale) {
        ChainWideOnly.require();
        List<FieldError> errors = new ArrayList<>();
        TemplateDraft draft = draft(form, errors);
        CouponTemplate current = id == null ? null : templates.find(id).orElse(null);
        if (errors.isEmpty()) {
            try {
                CouponTemplate saved = current == null ? templates.create(draft) : templates.update(current.id(), draft);
                audit.record(current == null ? "coupon.template.created" : "coupon.template.updated", "coupon_template",
                        String.valueOf(saved.id()), Map.of("kind", saved.kind().code()));
                redirect.addFlashAttribute("saved", true);
                return "redirect:/coupons/templates/" + saved.id();
            } catch (ApiProblem problem) {
                errors.addAll(problem.errors().isEmpty() ? List.of(new FieldError("name", problem.getMessage()))
                        : problem.errors());
            }
        }
        return form(model, current, form, reasons.byField(errors, CouponsPages::formField, locale), locale);
    }

    /** Issues to one customer (by id or phone) or to a list of customer ids, one per line or comma. */
    @PostMapping("/coupons/templates/{id}/issue")
    String issue(@PathVariable long id, @RequestParam(defaultValue = "") String customer,
                 @RequestParam(defaultValue = "") String customerIds, @RequestParam String issueKey,
                 RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            if (!customerIds.isBlank()) {
                List<Long> ids = new ArrayList<>();
                for (String part : customerIds.split("[\\s,，]+")) {
                    if (!part.isBlank()) {
                        ids.add(Long.parseLong(part.strip()));
                    }
                }
                BulkIssued result = coupons.issueToAll(id, ids, issueKey, "bulk");
                audit.record("coupon.issued.bulk", "coupon_template", String.valueOf(id),
                        Map.of("issued", result.issued().size(), "skipped", result.skipped().size()));
                redirect.addFlashAttribute("bulk", result);
            } else {
                long who = resolve(customer).orElseThrow(() -> ApiProblem.of(HttpStatus.BAD_REQUEST,
                        Reasons.refused("customer", "customers.refused.noSuchCustomer", "no such customer")));
                Issued issued = coupons.issue(new Issue(id, who, issueKey, "console"));
                audit.record("coupon.issued", "coupon", String.valueOf(issued.couponId()), Map.of("templateId", id));
                redirect.addFlashAttribute("issued", issued);
            }
        } catch (NumberFormatException e) {
            redirect.addFlashAttribute("issueError", reasons.of(customerIds.isBlank()
                    ? Reasons.refused("customer", "coupons.issue.notCustomer", "not a phone or #number")
                    : Reasons.refused("customerIds", "coupons.issue.notIds", "not customer numbers"), locale));
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("issueError", reasons.first(problem, locale));
        }
        return "redirect:/coupons/templates/" + id + "#issue";
    }

    @PostMapping("/coupons/templates/{id}/first-purchase")
    String firstPurchase(@PathVariable long id, @RequestParam boolean enabled) {
        ChainWideOnly.require();
        templates.issueOnFirstPurchase(id, enabled);
        audit.record("coupon.rule.first_purchase", "coupon_template", String.valueOf(id), Map.of("enabled", enabled));
        return "redirect:/coupons/templates/" + id;
    }

    @GetMapping("/coupons/code/{code}")
    String coupon(@PathVariable String code, Model model) {
        CustomerCoupon c = coupons.byCode(code).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("row", row(c));
        model.addAttribute("qr", qrSvg(c.code()));
        model.addAttribute("issuedAt", c.issuedAt().atZone(zone).format(MINUTES));
        model.addAttribute("validFrom", c.validFrom().atZone(zone).format(MINUTES));
        model.addAttribute("redeemedAt", c.redeemedAt() == null ? null : c.redeemedAt().atZone(zone).format(MINUTES));
        return "coupons/coupon";
    }

    /** The coupons section of the customer 360 page (htmx), with manual issue. */
    @GetMapping("/customers/{id}/coupons")
    String customerCoupons(@PathVariable long id, Model model) {
        model.addAttribute("customerId", id);
        model.addAttribute("coupons", coupons.ofCustomer(id).stream().map(this::row).toList());
        model.addAttribute("templates", templates.all().stream().filter(CouponTemplate::active).toList());
        model.addAttribute("issueKey", "console:" + UUID.randomUUID());
        return "coupons/customer-coupons :: coupons";
    }

    @PostMapping("/customers/{id}/coupons")
    String issueToCustomer(@PathVariable long id, @RequestParam long templateId, @RequestParam String issueKey,
                           Model model, Locale locale) {
        ChainWideOnly.require();
        String error = null;
        try {
            Issued issued = coupons.issue(new Issue(templateId, id, issueKey, "console"));
            audit.record("coupon.issued", "coupon", String.valueOf(issued.couponId()), Map.of("templateId", templateId));
        } catch (ApiProblem problem) {
            error = reasons.first(problem, locale);
        }
        model.addAttribute("issueError", error);
        return customerCoupons(id, model);
    }

    // ---- helpers

    private String form(Model model, CouponTemplate current, TemplateForm form, Map<String, String> errors,
                        Locale locale) {
        model.addAttribute("template", current);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("stores", catalog.stores());
        model.addAttribute("issueKey", "console:" + UUID.randomUUID());
        if (current != null && ChainWideOnly.mayEdit()) {
            model.addAttribute("segments", segments.list());
        }
        if (current != null) {
            TemplateStats s = templates.stats(current.id());
            model.addAttribute("row", row(current, s, locale));
            model.addAttribute("firstPurchase", templates.firstPurchaseTemplates().contains(current.id()));
        }
        return "coupons/template";
    }

    private TemplateRow row(CouponTemplate t, TemplateStats s, Locale locale) {
        TemplateStats stats = s != null ? s : new TemplateStats(t.id(), t.name(), 0, 0, 0, 0, 0);
        return new TemplateRow(t, stats, terms(t, locale), String.format("%.1f%%", stats.redemptionRate() * 100),
                yuan(stats.revenueCents()), yuan(stats.costCents()));
    }

    private CouponRow row(CustomerCoupon c) {
        return new CouponRow(c, c.validUntil().atZone(zone).format(MINUTES), yuan(c.faceCents()));
    }

    /** The terms in the shop's words: ¥10, 8.5折，最高减¥50, 满200减20 / 满500减80, 赠品 SKU (15% off … in English). */
    private String terms(CouponTemplate t, Locale locale) {
        String base = switch (t.kind()) {
            case FIXED -> "¥" + amount(t.amountCents());
            case PERCENT -> messages.getMessage(t.capCents() == null ? "coupons.terms.percent" : "coupons.terms.percentCapped",
                    new Object[] {String.valueOf(t.percentOff()), BigDecimal.valueOf(100 - t.percentOff(), 1)
                            .stripTrailingZeros().toPlainString(), amount(t.capCents())}, locale);
            case THRESHOLD -> t.tiers().stream().map(x -> messages.getMessage("coupons.terms.tier",
                    new Object[] {amount(x.minCents()), amount(x.offCents())}, locale)).collect(Collectors.joining(" / "));
            case GIFT -> messages.getMessage("coupons.terms.gift", new Object[] {t.giftSku()}, locale);
        };
        return t.minSpendCents() <= 0 ? base
                : messages.getMessage("coupons.terms.minSpend", new Object[] {base, amount(t.minSpendCents())}, locale);
    }

    /** An amount as terms say it: 200, 20.5 (no trailing zeros). */
    private static String amount(Long cents) {
        return cents == null ? "" : BigDecimal.valueOf(cents, 2).stripTrailingZeros().toPlainString();
    }

    private TemplateDraft draft(TemplateForm f, List<FieldError> errors) {
        Long amount = cents(f.amount(), "amountCents", errors);
        Long cap = cents(f.cap(), "capCents", errors);
        Long giftValue = cents(f.giftValue(), "giftValueCents", errors);
        Long minSpend = cents(f.minSpend(), "minSpendCents", errors);
        Long budget = cents(f.budget(), "budgetCents", errors);
        List<Tier> tiers = new ArrayList<>();
        if (f.tiers() != null && !f.tiers().isBlank()) {
            for (String part : f.tiers().split("[,，;/]+")) {
                String[] minOff = part.strip().split("[:：]");
                Long min = minOff.length == 2 ? cents(minOff[0], "tiers", errors) : null;
                Long off = minOff.length == 2 ? cents(minOff[1], "tiers", errors) : null;
                if (min == null || off == null) {
                    errors.add(Reasons.refused("tiers", "coupons.form.tiersFormat", "min:off in yuan, e.g. 200:20, 500:80"));
                } else {
                    tiers.add(new Tier(min, off));
                }
            }
        }
        Instant from = day(f.validFrom(), "validFrom", errors, false);
        Instant until = day(f.validUntil(), "validUntil", errors, true);
        Set<Long> stores = new LinkedHashSet<>();
        for (String s : f.stores()) {
            Long v = number(s, "storeIds", errors);
            if (v != null) {
                stores.add(v);
            }
        }
        Set<Long> stacksWith = new LinkedHashSet<>();
        for (String s : split(f.stacksWith())) {
            Long v = number(s, "stacksWith", errors);
            if (v != null) {
                stacksWith.add(v);
            }
        }
        Long percent = number(f.percentOff(), "percentOff", errors);
        Long days = until != null ? null : number(f.validDays(), "validDays", errors);
        Long perCustomer = number(f.perCustomerLimit(), "perCustomerLimit", errors);
        Long quantity = number(f.totalQuantity(), "totalQuantity", errors);
        String kind = nz(f.kind());
        return new TemplateDraft(f.name(), kind, "fixed".equals(kind) ? amount : null,
                "percent".equals(kind) ? toInt(percent) : null, "percent".equals(kind) ? cap : null,
                "threshold".equals(kind) ? tiers : List.of(), "gift".equals(kind) ? blankToNull(f.giftSku()) : null,
                "gift".equals(kind) ? giftValue : null, "threshold".equals(kind) ? null : minSpend,
                new LinkedHashSet<>(split(f.categories())), new LinkedHashSet<>(split(f.skus())), stores,
                until == null ? null : from, until, toInt(days), f.stacking(),
                "listed".equals(f.stacking()) ? stacksWith : Set.of(), toInt(perCustomer), toInt(quantity), budget,
                !"false".equals(f.active()));
    }

    /** The form field an API error names (tiers[0].offCents is the tiers box). */
    private static String formField(String apiField) {
        String f = apiField.replaceAll("\\[.*$", "");
        return switch (f) {
            case "amountCents", "capCents", "giftValueCents", "minSpendCents", "budgetCents", "tiers", "storeIds",
                 "stacksWith", "percentOff", "validDays", "validFrom", "validUntil", "perCustomerLimit",
                 "totalQuantity", "name", "kind", "giftSku", "categories", "skus", "stacking" -> f;
            default -> "name";
        };
    }

    private Instant day(String value, String field, List<FieldError> errors, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(value.strip());
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(Reasons.notDate(field));
            return null;
        }
    }

    private static Long cents(String yuan, String field, List<FieldError> errors) {
        if (yuan == null || yuan.isBlank()) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(yuan.strip().replace("¥", ""));
            if (v.stripTrailingZeros().scale() > 2) {
                errors.add(Reasons.refused(field, "console.reason.cents", "at most two decimals (0.01)"));
                return null;
            }
            return v.movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            errors.add(Reasons.notNumber(field));
            return null;
        }
    }

    private static Long number(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            errors.add(Reasons.notWholeNumber(field));
            return null;
        }
    }

    private static Integer toInt(Long v) {
        return v == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split("[,，\\s]+")).filter(s -> !s.isBlank()).map(String::strip).toList();
    }

    private Optional<Long> resolve(String customer) {
        String v = customer == null ? "" : customer.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.startsWith("#")) {
            return Optional.of(Long.parseLong(v.substring(1)));
        }
        if (v.length() >= 11) {
            return customers.find(Identity.ofPhone(v));
        }
        long id = Long.parseLong(v);
        return customers.summary(id).map(s -> id);
    }

    /** The code as a QR code in SVG: one path of dark modules, scaled by the page. */
    static String qrSvg(String content) {
        try {
            BitMatrix m = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, 2));
            StringBuilder path = new StringBuilder();
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    if (m.get(x, y)) {
                        path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                    }
                }
            }
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
                    + "\" width=\"220\" height=\"220\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
                    + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
        } catch (WriterException e) {
            throw new IllegalStateException("QR code of a coupon code", e);
        }
    }

    static String yuan(Long cents) {
        return cents == null ? "" : BigDecimal.valueOf(cents, 2).toPlainString();
    }

    private static String str(Integer v) {
        return v == null ? "" : String.valueOf(v);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
