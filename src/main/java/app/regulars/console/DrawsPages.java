package app.regulars.console;

import app.regulars.access.Audit;
import app.regulars.coupons.CampaignDraft;
import app.regulars.coupons.CouponTemplates;
import app.regulars.coupons.DrawCampaign;
import app.regulars.coupons.DrawReplay;
import app.regulars.coupons.DrawResult;
import app.regulars.coupons.Draws;
import app.regulars.coupons.Prize;
import app.regulars.coupons.PrizeDraft;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RegularsProperties;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Instant-win draw campaigns (满额抽奖): prizes with odds and stock, budget, latest results and replays. */
@Controller
class DrawsPages {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int BLANK_ROWS = 2;

    /** One prize row of the form, as typed (odds in percent). */
    record PrizeRow(String id, String kind, String label, String points, String templateId, String giftSku,
                    String value, String odds, String stock, int won) {}

    /** A recorded draw as the results table shows it. */
    record ResultRow(DrawResult draw, String at) {}

    /** The form's label for a field the campaign's checks name; prizes are named by their row. */
    private static final Map<String, String> LABELS = Map.of("name", "draws.form.name", "receiptMinCents",
            "draws.form.receiptMin", "pointsCost", "draws.form.pointsCost", "budgetCents", "draws.form.budget",
            "prizes", "draws.prizes");
    private static final Pattern PRIZE = Pattern.compile("prizes\\[(\\d+)]");

    private final Draws draws;
    private final CouponTemplates templates;
    private final Audit audit;
    private final Reasons reasons;
    private final MessageSource messages;
    private final ZoneId zone;

    DrawsPages(Draws draws, CouponTemplates templates, Audit audit, Reasons reasons, MessageSource messages,
               RegularsProperties properties) {
        this.draws = draws;
        this.reasons = reasons;
        this.messages = messages;
        this.templates = templates;
        this.audit = audit;
        this.zone = properties.timezone();
    }

    @GetMapping("/draws")
    String list(Model model) {
        model.addAttribute("campaigns", draws.all());
        return "coupons/draws";
    }

    @GetMapping("/draws/new")
    String create(Model model) {
        return page(model, null, Map.of("name", "", "receiptMin", "", "pointsCost", "", "budget", "", "active", "true"),
                rows(List.of()), Map.of());
    }

    @GetMapping("/draws/{id}")
    String show(@PathVariable long id, Model model) {
        DrawCampaign c = draws.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", c.name());
        form.put("receiptMin", CouponsPages.yuan(c.receiptMinCents()));
        form.put("pointsCost", c.pointsCost() == null ? "" : String.valueOf(c.pointsCost()));
        form.put("budget", CouponsPages.yuan(c.budgetCents()));
        form.put("active", String.valueOf(c.active()));
        return page(model, c, form, rows(c.prizes().stream().filter(p -> p.oddsPpm() > 0 || p.won() > 0).toList()),
                Map.of());
    }

    @PostMapping("/draws")
    String save(@RequestParam MultiValueMap<String, String> form, Model model, RedirectAttributes redirect,
                Locale locale) {
        ChainWideOnly.require();
        Long id = parse(form.getFirst("id"));
        List<FieldError> errors = new ArrayList<>();
        List<PrizeRow> rows = new ArrayList<>();
        List<PrizeDraft> prizes = new ArrayList<>();
        List<String> kinds = form.getOrDefault("prizeKind", List.of());
        for (int i = 0; i < kinds.size(); i++) {
            PrizeRow row = new PrizeRow(at(form, "prizeId", i), kinds.get(i), at(form, "prizeLabel", i),
                    at(form, "prizePoints", i), at(form, "prizeTemplate", i), at(form, "prizeSku", i),
                    at(form, "prizeValue", i), at(form, "prizeOdds", i), at(form, "prizeStock", i), 0);
            rows.add(row);
            if (row.label().isBlank() && row.odds().isBlank()) {
                continue; // an empty spare row
            }
            try {
                prizes.add(new PrizeDraft(parse(row.id()), row.kind(), row.label(), parse(row.points()),
                        parse(row.templateId()), row.giftSku().isBlank() ? null : row.giftSku(), cents(row.value()),
                        ppm(row.odds()), row.stock().isBlank() ? null : Integer.valueOf(row.stock().strip())));
            } catch (NumberFormatException | ArithmeticException e) {
                errors.add(Reasons.notNumber("prizes[" + prizes.size() + "]"));
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : List.of("name", "receiptMin", "pointsCost", "budget", "active")) {
            fields.put(f, form.getFirst(f) == null ? "" : form.getFirst(f));
        }
        DrawCampaign current = id == null ? null : draws.find(id).orElse(null);
        Long receiptMin = number(fields.get("receiptMin"), "receiptMinCents", DrawsPages::cents, errors);
        Long pointsCost = number(fields.get("pointsCost"), "pointsCost", DrawsPages::parse, errors);
        Long budget = number(fields.get("budget"), "budgetCents", DrawsPages::cents, errors);
        if (errors.isEmpty()) {
            try {
                CampaignDraft draft = new CampaignDraft(fields.get("name"), receiptMin, pointsCost, budget,
                        !"false".equals(fields.get("active")), prizes);
                DrawCampaign saved = current == null ? draws.create(draft) : draws.update(current.id(), draft);
                audit.record(current == null ? "draw.campaign.created" : "draw.campaign.updated", "draw_campaign",
                        String.valueOf(saved.id()), Map.of("tableVersion", saved.tableVersion()));
                redirect.addFlashAttribute("saved", true);
                return "redirect:/draws/" + saved.id();
            } catch (ApiProblem problem) {
                errors.addAll(problem.errors());
            }
        }
        return page(model, current, fields, rows, reasons.byField(errors, f -> label(f, locale), locale));
    }

    /** A number typed in the form, null when blank or unreadable (then recorded against {@code field}). */
    private static Long number(String value, String field, Function<String, Long> parse, List<FieldError> errors) {
        try {
            return parse.apply(value);
        } catch (NumberFormatException | ArithmeticException e) {
            errors.add(Reasons.notNumber(field));
            return null;
        }
    }

    private String label(String field, Locale locale) {
        Matcher prize = PRIZE.matcher(field);
        if (prize.lookingAt()) {
            return messages.getMessage("draws.prize.row", new Object[] {Integer.parseInt(prize.group(1)) + 1}, locale);
        }
        return messages.getMessage(LABELS.getOrDefault(field, "draws.form.name"), null, locale);
    }

    @PostMapping("/draws/results/{drawId}/replay")
    String replay(@PathVariable long drawId, Model model) {
        DrawReplay replay = draws.replay(drawId);
        model.addAttribute("replay", replay);
        return "coupons/draws :: replay";
    }

    private String page(Model model, DrawCampaign campaign, Map<String, String> form, List<PrizeRow> rows,
                        Map<String, String> errors) {
        model.addAttribute("campaign", campaign);
        model.addAttribute("form", form);
        model.addAttribute("prizes", rows);
        model.addAttribute("errors", errors);
        model.addAttribute("templates", templates.all());
        model.addAttribute("results", campaign == null ? List.of()
                : draws.recent(campaign.id(), 50).stream().map(r -> new ResultRow(r, r.drawnAt().atZone(zone).format(MINUTES))).toList());
        return "coupons/draw";
    }

    private static List<PrizeRow> rows(List<Prize> prizes) {
        List<PrizeRow> rows = new ArrayList<>();
        for (Prize p : prizes) {
            rows.add(new PrizeRow(String.valueOf(p.id()), p.kind(), p.label(), p.points() == null ? "" : String.valueOf(p.points()),
                    p.templateId() == null ? "" : String.valueOf(p.templateId()), p.giftSku() == null ? "" : p.giftSku(),
                    CouponsPages.yuan(p.valueCents()),
                    BigDecimal.valueOf(p.oddsPpm(), 4).stripTrailingZeros().toPlainString(),
                    p.stock() == null ? "" : String.valueOf(p.stock()), p.won()));
        }
        for (int i = 0; i < BLANK_ROWS; i++) {
            rows.add(new PrizeRow("", "gift", "", "", "", "", "", "", "", 0));
        }
        return rows;
    }

    private static String at(MultiValueMap<String, String> form, String name, int i) {
        List<String> values = form.getOrDefault(name, List.of());
        return i < values.size() && values.get(i) != null ? values.get(i) : "";
    }

    private static Long parse(String v) {
        return v == null || v.isBlank() ? null : Long.valueOf(v.strip());
    }

    private static Long cents(String yuan) {
        return yuan == null || yuan.isBlank() ? null : new BigDecimal(yuan.strip()).movePointRight(2).longValueExact();
    }

    /** Odds typed in percent (up to 4 decimals) to parts per million. */
    private static Integer ppm(String percent) {
        if (percent == null || percent.isBlank()) {
            return null;
        }
        return new BigDecimal(percent.strip()).movePointRight(4).setScale(0, RoundingMode.UNNECESSARY).intValueExact();
    }
}
