package app.regulars.console;

import app.regulars.catalog.Holiday;
import app.regulars.catalog.HolidayCalendar;
import app.regulars.coupons.CouponTemplate;
import app.regulars.coupons.CouponTemplates;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.insights.Preview;
import app.regulars.insights.RuleReferenceException;
import app.regulars.insights.RuleSource;
import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import app.regulars.insights.Tag;
import app.regulars.insights.Tags;
import app.regulars.insights.rule.Catalogue;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.RuleJson;
import app.regulars.insights.rule.RuleText;
import app.regulars.insights.rule.Type;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
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
 * 人群 / Segments: the list with sizes and their trend, and the segment builder. The builder keeps the
 * rule's JSON in the page; every edit (a picker, a button, typed text) is posted with it and the server
 * answers with the re-rendered builder, the canonical text and a fresh preview, so the no-code view and
 * the text mode never disagree.
 */
@Controller
class SegmentsPages {

    private static final Logger log = LoggerFactory.getLogger(SegmentsPages.class);

    /** A picker option: what is sent, what is shown, and the group it is listed under. */
    record Option(String value, String label, String group) {}

    /** The error of a rule shown in the builder: message and, for text, where. */
    record ShownError(String message, int line, int column) {}

    private static final int TREND_DAYS = 30;
    private static final Map<String, String> OPERATOR_NAMES = Map.of("=", "eq", "!=", "ne", "<", "lt", "<=", "le",
            ">", "gt", ">=", "ge");

    private final Segments segments;
    private final Tags tags;
    private final CustomFields customFields;
    private final HolidayCalendar holidays;
    private final CouponTemplates couponTemplates;
    private final MessageSource messages;
    private final ObjectMapper json;
    private final SegmentNames segmentNames;
    private final Reasons reasons;

    SegmentsPages(Segments segments, Tags tags, CustomFields customFields, HolidayCalendar holidays,
                  CouponTemplates couponTemplates, MessageSource messages, ObjectMapper json,
                  SegmentNames segmentNames, Reasons reasons) {
        this.segmentNames = segmentNames;
        this.reasons = reasons;
        this.segments = segments;
        this.couponTemplates = couponTemplates;
        this.tags = tags;
        this.customFields = customFields;
        this.holidays = holidays;
        this.messages = messages;
        this.json = json;
    }

    @GetMapping("/segments")
    String list(Model model, Locale locale) {
        List<Segment> all = segments.list();
        Map<Long, String> trends = new HashMap<>();
        Map<Long, String> days = new HashMap<>();
        // A segment with one day of sizes has no trend yet: the page says since when it is recorded
        // (sizes are kept from the day a segment exists; past ones are not made up).
        Map<Long, String> recordedSince = new HashMap<>();
        Map<Long, List<Segments.DailySize>> sizesOfAll = segments.sizesOfAll(TREND_DAYS);
        for (Segment s : all) {
            List<Segments.DailySize> sizes = sizesOfAll.getOrDefault(s.id(), List.of());
            if (sizes.size() == 1) {
                recordedSince.put(s.id(), sizes.getFirst().day().toString().substring(5));
            }
            trends.put(s.id(), write(sizes.stream().map(Segments.DailySize::members).toList()));
            days.put(s.id(), write(sizes.stream().map(d -> d.day().toString()).toList()));
        }
        model.addAttribute("segments", all);
        if (!ChainWideOnly.mayEdit()) {
            Map<Long, Long> ours = segments.visibleMembers();
            model.addAttribute("ours", all.stream().collect(Collectors.toMap(Segment::id, d -> ours.getOrDefault(d.id(), 0L))));
        }
        model.addAttribute("trends", trends);
        model.addAttribute("trendDays", days);
        model.addAttribute("recordedSince", recordedSince);
        model.addAttribute("labels", segmentNames.byId(all, locale));
        model.addAttribute("problems", problems(all, locale));
        return "segments/list";
    }

    @GetMapping("/segments/new")
    String create(Model model, Locale locale) {
        return page(null, "", "", SegmentBuilder.starter(), model, locale);
    }

    @GetMapping("/segments/{id}")
    String edit(@PathVariable long id, Model model, Locale locale) {
        Segment s = segments.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("problem", s.problem() == null ? null : reasons.of(s.problem(), locale));
        List<Segments.DailySize> sizes = segments.sizes(id, 90);
        model.addAttribute("trend", sizes.isEmpty() ? null : write(sizes.stream().map(Segments.DailySize::members).toList()));
        model.addAttribute("trendDays", write(sizes.stream().map(d -> d.day().toString()).toList()));
        model.addAttribute("members", s.members());
        model.addAttribute("heading", segmentNames.of(s, locale)); // not "title": the layout's fragment parameter
        return page(s.id(), s.name(), s.description() == null ? "" : s.description(), RuleJson.read(s.ruleJson()),
                model, locale);
    }

    /** One edit of the builder: the re-rendered builder, with the text and the preview swapped out of band. */
    @PostMapping("/segments/builder")
    String builderEdit(@RequestParam String json, @RequestParam String op, @RequestParam(defaultValue = "") String path,
                       @RequestParam(required = false) String value, @RequestParam(defaultValue = "-1") int index,
                       Model model, Locale locale) {
        Rule rule = readOrStarter(json);
        Rule edited = SegmentBuilder.apply(rule, op, path, value, index, customTypes());
        builder(edited, model, locale);
        preview(RuleSource.ofJson(RuleJson.write(edited)), model);
        model.addAttribute("oob", true);
        return "segments/builder :: edit-response";
    }

    /** Typed text: the preview, and the builder when the text parses (else the error at its position). */
    @PostMapping("/segments/builder/text")
    String builderText(@RequestParam(defaultValue = "") String text, Model model, Locale locale) {
        try {
            Rule rule = RuleText.parse(text);
            builder(rule, model, locale);
            model.addAttribute("parsed", true);
        } catch (RuleError e) {
            model.addAttribute("parsed", false);
            model.addAttribute("errors", shown(e, locale));
            return "segments/builder :: preview";
        }
        preview(RuleSource.ofText(text), model);
        return "segments/builder :: text-response";
    }

    @PostMapping("/segments/save")
    String save(@RequestParam(required = false) Long id, @RequestParam(defaultValue = "") String name,
                @RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String json,
                @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "builder") String mode,
                Model model, Locale locale, RedirectAttributes redirect) {
        return save(new Edit(id, name, description, json, text, mode), source -> (id == null
                        ? segments.create(name, description, source) : segments.update(id, name, description, source)).name(),
                "redirect:/segments", "saved", model, locale, redirect);
    }

    // ---- automatic tags: rules as segments are, so the same builder edits them ----------------------

    @GetMapping("/tags/new")
    String createTag(Model model, Locale locale) {
        model.addAttribute("kind", "tag");
        return page(null, "", "", SegmentBuilder.starter(), model, locale);
    }

    /** An automatic tag in the builder; a manual one (no rule: staff add it) with its name and description only. */
    @GetMapping("/tags/{id}")
    String editTag(@PathVariable long id, Model model, Locale locale) {
        Tag t = tags.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("kind", "tag");
        model.addAttribute("manual", !t.automatic());
        model.addAttribute("problem", t.problem() == null ? null : reasons.of(t.problem(), locale));
        model.addAttribute("members", t.members());
        model.addAttribute("heading", t.name());
        return page(t.id(), t.name(), t.description() == null ? "" : t.description(),
                t.automatic() ? RuleJson.read(t.ruleJson()) : SegmentBuilder.starter(), model, locale);
    }

    @PostMapping("/tags/save")
    String saveTag(@RequestParam(required = false) Long id, @RequestParam(defaultValue = "") String name,
                   @RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String json,
                   @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "builder") String mode,
                   @RequestParam(defaultValue = "false") boolean manual,
                   Model model, Locale locale, RedirectAttributes redirect) {
        model.addAttribute("kind", "tag");
        model.addAttribute("manual", manual);
        return save(new Edit(id, name, description, json, text, mode), source -> {
            RuleSource given = manual ? null : source; // a manual tag has no rule: staff add it
            return (id == null ? tags.create(name, description, given) : tags.update(id, name, description, given)).name();
        }, "redirect:/tags", id == null ? "saved" : "edited", model, locale, redirect);
    }

    /** What the editor posts. */
    private record Edit(Long id, String name, String description, String json, String text, String mode) {}

    /**
     * Saves a segment or a tag ({@code saving} returns the saved one's name) and goes back to the list;
     * refused, shows the editor again with why and the rule as it was posted (in text mode the text that
     * was typed, even when it does not parse).
     */
    private String save(Edit edit, java.util.function.Function<RuleSource, String> saving, String list, String flash,
                        Model model, Locale locale, RedirectAttributes redirect) {
        ChainWideOnly.require();
        RuleSource source = "text".equals(edit.mode()) ? RuleSource.ofText(edit.text())
                : RuleSource.ofJson(tree(edit.json()));
        try {
            redirect.addFlashAttribute(flash, saving.apply(source));
            return list;
        } catch (RuleError e) {
            model.addAttribute("saveErrors", shown(e, locale));
        } catch (ApiProblem p) {
            model.addAttribute("saveErrors", shown(p, locale));
        }
        Rule rule;
        try {
            rule = "text".equals(edit.mode()) ? RuleText.parse(edit.text()) : readOrStarter(edit.json());
        } catch (RuleError e) {
            rule = readOrStarter(edit.json());
        }
        model.addAttribute("mode", edit.mode());
        return page(edit.id(), edit.name(), edit.description(), rule, model, locale);
    }

    /** Member ids as CSV, for the chain's other systems; personal data stays in Regulars. */
    @GetMapping(value = "/segments/{id}/members.csv", produces = "text/csv")
    org.springframework.http.ResponseEntity<String> export(@PathVariable long id) {
        StringBuilder out = new StringBuilder("customer_id\n");
        segments.memberIds(id).forEach(c -> out.append(c).append('\n'));
        return org.springframework.http.ResponseEntity.ok()
                .header(org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"segment-" + id + "-members.csv\"")
                .contentType(new org.springframework.http.MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(out.toString());
    }

    @PostMapping("/segments/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            segments.delete(id);
            redirect.addFlashAttribute("deleted", true);
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("deleteError", reasons.firstOrGone(p, locale));
        }
        return "redirect:/segments";
    }

    // ----

    // "errors" is the preview's: the rule's problems, set only when it has some (an empty form-errors map
    // there hid the preview's count until the first edit).
    private String page(Long id, String name, String description, Rule rule, Model model, Locale locale) {
        model.addAttribute("id", id);
        if (!model.containsAttribute("kind")) {
            model.addAttribute("kind", "segment");
        }
        model.addAttribute("name", name);
        model.addAttribute("description", description);
        if (!model.containsAttribute("mode")) {
            model.addAttribute("mode", "builder");
        }
        builder(rule, model, locale);
        preview(RuleSource.ofJson(RuleJson.write(rule)), model);
        return "segments/edit";
    }

    private void builder(Rule rule, Model model, Locale locale) {
        model.addAttribute("root", SegmentBuilder.view(rule));
        model.addAttribute("ruleJson", RuleJson.writeString(rule));
        model.addAttribute("ruleText", printable(rule));
        model.addAttribute("b", new Pickers(locale));
    }

    /** Why each segment that cannot be evaluated now cannot, by id, in the reader's language. */
    private Map<Long, String> problems(List<Segment> all, Locale locale) {
        Map<Long, String> problems = new HashMap<>();
        all.stream().filter(s -> s.problem() != null).forEach(s -> problems.put(s.id(), reasons.of(s.problem(), locale)));
        return problems;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(Rule rule) {
        try {
            return RuleText.print(rule);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private void preview(RuleSource source, Model model) {
        // The preview is rendered by several handlers; the request's locale is the console's.
        Locale locale = LocaleContextHolder.getLocale();
        try {
            Preview p = segments.preview(source);
            model.addAttribute("preview", p);
        } catch (RuleError e) {
            model.addAttribute("errors", shown(e, locale));
        } catch (RuleReferenceException e) {
            // The engine missing a name the checker let through (a tag created since the last round, a custom
            // field defined since the engine last read them) is still said as the rule's problem.
            model.addAttribute("errors", List.of(new ShownError(reasons.of(e.reason(), locale), e.span().line(),
                    e.span().column())));
        } catch (ApiProblem p) {
            // A refusal of the rule names it; one that names nothing is the engine missing from this build.
            model.addAttribute("errors", List.of(new ShownError(p.errors().isEmpty() ? previewFailed(locale)
                    : reasons.first(p, locale), 0, 0)));
        } catch (RuntimeException e) {
            // Whatever else the engine throws (its index still being built or failed, the catalog unreadable)
            // is not the rule's fault: the page says so in its language rather than failing, the log says what.
            log.warn("A segment preview could not be computed", e);
            model.addAttribute("errors", List.of(new ShownError(previewFailed(locale), 0, 0)));
        }
    }

    private String previewFailed(Locale locale) {
        return messages.getMessage("rule.preview.failed", null, locale);
    }

    /** Why saving was refused, in the reader's language; a refused name says so. */
    private List<ShownError> shown(ApiProblem p, Locale locale) {
        if (p.errors().isEmpty()) {
            return List.of(new ShownError(reasons.firstOrGone(p, locale), 0, 0));
        }
        String name = messages.getMessage("segments.name", null, locale);
        return p.errors().stream().map(f -> new ShownError(
                reasons.at("name".equals(f.field()) ? name : null, reasons.of(f, locale), locale), 0, 0)).toList();
    }

    /** A rule's problems in the reader's language; the page says the line and column of those that have one. */
    private List<ShownError> shown(RuleError e, Locale locale) {
        return e.problems().stream().map(p -> p.positioned()
                ? new ShownError(reasons.of(p.message(), locale), p.span().line(), p.span().column())
                : new ShownError(reasons.of(p.located(), locale), 0, 0)).toList();
    }

    private Rule readOrStarter(String doc) {
        try {
            return RuleJson.read(doc);
        } catch (RuleError e) {
            return SegmentBuilder.starter();
        }
    }

    private com.fasterxml.jackson.databind.JsonNode tree(String doc) {
        try {
            return json.readTree(doc.isBlank() ? "{}" : doc);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private Map<String, Type> customTypes() {
        Map<String, Type> types = new HashMap<>();
        for (CustomField f : customFields.definitions()) {
            types.put(f.key(), switch (f.type()) {
                case number -> Type.NUMBER;
                case date -> Type.DATE;
                case text, choice -> Type.TEXT;
            });
        }
        return types;
    }

    /** The builder's pickers, labelled in the console's language, and the hx-vals of its controls. */
    final class Pickers {

        private final Locale locale;
        private final List<CustomField> custom = customFields.definitions();

        Pickers(Locale locale) {
            this.locale = locale;
        }

        private String label(String key, String fallback) {
            return messages.getMessage(key, null, fallback, locale);
        }

        public List<Option> fields() {
            List<Option> options = new ArrayList<>();
            for (Catalogue.FieldEntry f : Catalogue.fields()) {
                options.add(new Option(f.name(), label("rule.field." + f.name(), f.name()) + " · " + f.name(),
                        label("rule.group." + f.group().name().toLowerCase(Locale.ROOT), f.group().name())));
            }
            for (CustomField f : custom) {
                options.add(new Option(f.key(), f.label(locale) + " · " + f.key(), label("rule.group.custom", "custom")));
            }
            return options;
        }

        public Map<String, List<Option>> fieldGroups() {
            Map<String, List<Option>> groups = new LinkedHashMap<>();
            fields().forEach(o -> groups.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o));
            return groups;
        }

        public List<Option> functions() {
            return Catalogue.aggregates().stream()
                    .map(a -> new Option(a.name(), label("rule.function." + a.name(), a.name()) + " · " + a.name(), null))
                    .toList();
        }

        /**
         * The arguments a function takes; for a coupon template, the chain's templates, and the one the rule
         * names when the chain has none of that name, so that the picker shows what the rule says (and that
         * it is missing) instead of quietly offering another.
         */
        public List<Option> arguments(String function, String current) {
            if (Catalogue.aggregate(function).map(a -> a.argumentKind() == Catalogue.ArgumentKind.COUPON_TEMPLATE)
                    .orElse(false)) {
                List<Option> options = new ArrayList<>(List.of(new Option("", label("rule.argument.pickTemplate", "—"), null)));
                List<String> names = couponTemplates.all().stream().map(CouponTemplate::name).distinct().sorted().toList();
                if (current != null && !current.isBlank() && !names.contains(current)) {
                    options.add(new Option(current, messages.getMessage("rule.argument.missingTemplate",
                            new Object[] {current}, current, locale), null));
                }
                names.forEach(name -> options.add(new Option(name, name, null)));
                return options;
            }
            return Catalogue.aggregate(function).map(a -> a.arguments().stream()
                    .map(v -> new Option(v, label("rule.argument." + v, v), null)).toList()).orElse(List.of());
        }

        public List<Option> filters(String function) {
            return Catalogue.aggregate(function).map(a -> a.filters().stream()
                    .map(v -> new Option(v, label("rule.filter." + v, v), null)).toList()).orElse(List.of());
        }

        public List<Option> periods() {
            return Catalogue.CALENDAR_PERIODS.stream().map(p -> new Option(p, label("rule.period." + p, p), null)).toList();
        }

        public List<Option> holidays() {
            LocalDate today = LocalDate.now();
            Map<String, Option> byCode = new LinkedHashMap<>();
            for (Holiday h : holidays.between(today.minusYears(3), today.plusYears(1))) { // as the checker knows them
                byCode.putIfAbsent(h.code(), new Option(h.code(), "zh".equals(locale.getLanguage()) ? h.nameZh() : h.nameEn(), null));
            }
            return List.copyOf(byCode.values());
        }

        public List<Option> operators(String field, String kind) {
            boolean date = "field".equals(kind) && SegmentBuilder.typeOf(
                    new app.regulars.insights.rule.Value.Field(field, app.regulars.insights.rule.Span.NONE), customTypes())
                    == Type.DATE;
            List<String> ops = new ArrayList<>(List.of("=", "!=", "<", "<=", ">", ">=", "in", "not_in"));
            if (date) {
                ops.add("within");
            }
            return ops.stream().map(o -> new Option(o, label("rule.op." + OPERATOR_NAMES.getOrDefault(o, o), o), null))
                    .toList();
        }

        public List<String> tags() {
            return tags.list().stream().map(Tag::name).toList();
        }

        private Map<String, String> segmentLabels;

        public List<String> segments() {
            return List.copyOf(segmentLabels().keySet());
        }

        /** A segment's display name (a built-in's translated label) beside the name rules use. */
        public String segmentLabel(String name) {
            String label = segmentLabels().getOrDefault(name, name);
            return label.equals(name) ? name : label + " · " + name;
        }

        private Map<String, String> segmentLabels() {
            if (segmentLabels == null) {
                segmentLabels = new LinkedHashMap<>();
                segments.list().forEach(s -> segmentLabels.put(s.name(), segmentNames.of(s, locale)));
            }
            return segmentLabels;
        }

        /** The hx-vals of a control: which edit, on which node. */
        public String vals(String op, String path) {
            return vals(op, path, -1);
        }

        public String vals(String op, String path, int index) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("op", op);
            v.put("path", path);
            if (index >= 0) {
                v.put("index", index);
            }
            try {
                return json.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
