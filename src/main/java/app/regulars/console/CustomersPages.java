package app.regulars.console;

import app.regulars.access.Audit;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Staff;
import app.regulars.catalog.Store;
import app.regulars.customers.Consent;
import app.regulars.customers.ConsentChange;
import app.regulars.customers.Consents;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.CustomerSummary;
import app.regulars.customers.CustomerVisibility;
import app.regulars.customers.Customers;
import app.regulars.customers.Duplicates;
import app.regulars.customers.ProfileChange;
import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import app.regulars.insights.Tags;
import app.regulars.platform.ApiProblem;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The customer list with its one search box, the customer 360 page and the duplicates page. */
@Controller
class CustomersPages {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final int PAGE_SIZE = 20;

    private final CustomerProfiles profiles;
    private final Customers customers;
    private final Consents consents;
    private final CustomFields fields;
    private final Duplicates duplicates;
    private final Catalog catalog;
    private final Audit audit;
    private final CustomerVisibility visibility;
    private final Segments segments;
    private final Tags tags;
    private final SegmentNames segmentNames;
    private final Reasons reasons;

    CustomersPages(CustomerProfiles profiles, Customers customers, Consents consents, CustomFields fields,
                   Duplicates duplicates, Catalog catalog, Audit audit, CustomerVisibility visibility,
                   Segments segments, Tags tags, SegmentNames segmentNames, Reasons reasons) {
        this.segmentNames = segmentNames;
        this.reasons = reasons;
        this.audit = audit;
        this.visibility = visibility;
        this.segments = segments;
        this.tags = tags;
        this.profiles = profiles;
        this.customers = customers;
        this.consents = consents;
        this.fields = fields;
        this.duplicates = duplicates;
        this.catalog = catalog;
    }

    /** One answer of the consent history as shown, its time in the customer's zone. */
    record ConsentEntry(String at, Consent consent) {}

    /** Newest first; a search by phone, card or exact name that finds one customer opens their page. */
    @GetMapping("/customers")
    String list(@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
                @RequestParam(required = false) Long segment, @RequestParam(required = false) Long tag,
                @RequestParam(required = false) Long store, Model model, Locale locale) {
        List<Segment> segmentChoices = segments.list();
        List<Store> stores = catalog.stores();
        model.addAttribute("storeChoices", CustomerProfilePages.visibleTo(Callers.current(), stores));
        model.addAttribute("storeNames", stores.stream().collect(Collectors.toMap(Store::id, Store::name)));
        model.addAttribute("store", store);
        model.addAttribute("segmentChoices", segmentChoices);
        model.addAttribute("segmentNames", segmentNames.byId(segmentChoices, locale));
        model.addAttribute("tagChoices", tags.list());
        model.addAttribute("segment", segment);
        model.addAttribute("tag", tag);
        model.addAttribute("filtered", false);
        if ((segment != null || tag != null) && (q == null || q.isBlank())) {
            // Members of a segment or carriers of a tag, by customer id.
            Segments.MemberPage members;
            try {
                members = segment != null ? segments.members(segment, store, page, PAGE_SIZE)
                        : tags.members(tag, store, page, PAGE_SIZE);
            } catch (ApiProblem notFound) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
            model.addAttribute("customers", visibility.filter(customers.summaries(members.customerIds())));
            model.addAttribute("page", new CustomerProfiles.Page(List.of(), members.page(), members.size(), members.hasNext()));
            model.addAttribute("filtered", true);
            model.addAttribute("filteredTotal", members.total());
            model.addAttribute("searching", false);
            return "customers/list";
        }
        if (q != null && !q.isBlank()) {
            List<CustomerSummary> found = visibility.filter(profiles.search(q));
            if (found.size() == 1) {
                return "redirect:/customers/" + found.getFirst().id();
            }
            model.addAttribute("q", q.strip());
            model.addAttribute("customers", found);
            model.addAttribute("searching", true);
        } else {
            CustomerProfiles.Page p = profiles.newest(page, PAGE_SIZE, visibility.listScope(store));
            model.addAttribute("customers", p.customers());
            model.addAttribute("page", p);
            model.addAttribute("searching", false);
        }
        return "customers/list";
    }

    @GetMapping("/customers/{id}")
    String customer360(@PathVariable long id, Model model) {
        CustomerProfile profile = profiles.profile(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (profile.id() != id) {
            return "redirect:/customers/" + profile.id(); // a merged customer's page is the survivor's
        }
        Map<String, String> values = profile.custom().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString(), (a, b) -> a, LinkedHashMap::new));
        return show360(profile, values, Map.of(), model);
    }

    /** Saves the custom field form; shows it again with the errors when a value is refused. */
    @PostMapping("/customers/{id}/custom")
    String saveCustom(@PathVariable long id, @RequestParam Map<String, String> form, Model model,
                      RedirectAttributes redirect, Locale locale) {
        Map<String, String> values = new LinkedHashMap<>();
        for (CustomField f : fields.definitions()) {
            values.put(f.key(), form.getOrDefault("custom." + f.key(), ""));
        }
        try {
            profiles.update(id, ProfileChange.custom(values));
        } catch (ApiProblem problem) {
            Map<String, String> errors = reasons.byField(problem.errors(), locale);
            CustomerProfile profile = profiles.profile(id)
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
            return show360(profile, values, errors, model);
        }
        redirect.addFlashAttribute("customSaved", true);
        return "redirect:/customers/" + id + "#custom";
    }

    /** The full phone number, for htmx to swap in place of the masked one. */
    @PostMapping("/customers/{id}/reveal-phone")
    @Transactional
    String revealPhone(@PathVariable long id, Model model) {
        if (!Callers.current().mayRevealPii()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        String phone = customers.reveal(id, "phone")
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        // Who saw whose number, never the number itself.
        audit.record("customer.pii.revealed", "customer", String.valueOf(id), Map.of("field", "phone"));
        model.addAttribute("phone", phone);
        return "customers/detail :: revealed";
    }

    /** A consent given at the counter or on paper, recorded by staff (source "console"). */
    @PostMapping("/customers/{id}/consents")
    @Transactional
    String recordConsent(@PathVariable long id, @RequestParam String channel, @RequestParam String purpose,
                         @RequestParam boolean granted, @RequestParam(defaultValue = "") String evidence,
                         @RequestParam(defaultValue = "") String noticeVersion, RedirectAttributes redirect) {
        // Checked here rather than caught: a refused write inside this transaction would mark it rollback-only.
        if (!Consent.CHANNELS.contains(channel) || !Consent.PURPOSES.contains(purpose)) {
            redirect.addFlashAttribute("consentError", true);
            return "redirect:/customers/" + id + "#consent";
        }
        Consent recorded = consents.record(id, new ConsentChange(channel, purpose, granted, null, "console",
                noticeVersion.isBlank() ? null : noticeVersion.strip(), evidence));
        audit.record("customer.consent.recorded", "customer", String.valueOf(recorded.customerId()),
                Map.of("channel", channel, "purpose", purpose, "granted", granted));
        return "redirect:/customers/" + id + "#consent";
    }

    @GetMapping("/customers/duplicates")
    String duplicates(Model model) {
        chainWide();
        model.addAttribute("candidates", duplicates.candidates(200));
        return "customers/duplicates";
    }

    @PostMapping("/customers/merge")
    String merge(@RequestParam long survivorId, @RequestParam long mergedId, RedirectAttributes redirect,
                 Locale locale) {
        chainWide();
        try {
            duplicates.merge(survivorId, mergedId);
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("mergeError", reasons.first(problem, locale));
            return "redirect:/customers/duplicates";
        }
        redirect.addFlashAttribute("mergedId", mergedId);
        return "redirect:/customers/" + survivorId;
    }

    private String show360(CustomerProfile profile, Map<String, String> values, Map<String, String> errors, Model model) {
        model.addAttribute("customer", profile);
        CustomerIdentitiesSection.show(profile, model);
        model.addAttribute("mayReveal", Callers.current().mayRevealPii());
        model.addAttribute("registeredAt", profile.registeredAt().atZone(profile.timezone()).format(MINUTES));
        model.addAttribute("homeStore", storeName(profile.homeStoreId()));
        model.addAttribute("registrationStore", storeName(profile.registrationStoreId()));
        model.addAttribute("advisor", advisorName(profile));
        model.addAttribute("fields", fields.definitions());
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        model.addAttribute("channels", Consent.CHANNELS);
        model.addAttribute("purposes", Consent.PURPOSES);
        // Every answer, newest first; the first of each channel and purpose is the one that counts.
        List<Consent> history = consents.history(profile.id());
        Map<String, Consent> matrix = new LinkedHashMap<>();
        for (Consent c : history) {
            matrix.putIfAbsent(c.channel() + "/" + c.purpose(), c);
        }
        model.addAttribute("consents", matrix);
        customerTags(profile.id(), model);
        model.addAttribute("consentTimes", matrix.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().at().atZone(profile.timezone()).format(MINUTES))));
        // Every answer with where it came from: what an audit of a marketing message asks for.
        model.addAttribute("consentHistory", history.stream()
                .map(c -> new ConsentEntry(c.at().atZone(profile.timezone()).format(MINUTES), c)).toList());
        return "customers/detail";
    }

    /** Duplicates are found and merged across the whole chain: owner, HQ and unscoped users only. */
    private static void chainWide() {
        if (!Callers.current().allStores()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
    }

    /** Puts a manual tag on the customer (creating the tag when new); answers the re-rendered tags card. */
    @PostMapping("/customers/{id}/tags")
    String addTag(@PathVariable long id, @RequestParam(defaultValue = "") String tag, Model model, Locale locale) {
        try {
            tags.add(id, tag);
        } catch (ApiProblem problem) {
            model.addAttribute("tagError", reasons.first(problem, locale));
        }
        model.addAttribute("customerId", id);
        customerTags(id, model);
        return "tags/customer :: tags";
    }

    @PostMapping("/customers/{id}/tags/remove")
    String removeTag(@PathVariable long id, @RequestParam String tag, Model model, Locale locale) {
        try {
            tags.remove(id, tag);
        } catch (ApiProblem problem) {
            model.addAttribute("tagError", reasons.firstOrGone(problem, locale));
        }
        model.addAttribute("customerId", id);
        customerTags(id, model);
        return "tags/customer :: tags";
    }

    private void customerTags(long customerId, Model model) {
        model.addAttribute("customerTags", tags.of(customerId));
        // The 360 page's handlers render this card from several places; the request's locale is the console's.
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("customerSegments", segments.segmentsOf(customerId).stream()
                .map(s -> segmentNames.of(s, locale)).toList());
        model.addAttribute("manualTags", tags.list().stream().filter(t -> !t.automatic()).map(app.regulars.insights.Tag::name)
                .toList());
    }

    private String storeName(Long storeId) {
        return storeId == null ? null : catalog.store(storeId).map(Store::name).orElse("#" + storeId);
    }

    private String advisorName(CustomerProfile p) {
        return p.advisorStaffId() == null ? null
                : CustomerProfilePages.advisorOf(catalog, p).map(Staff::name).orElse("#" + p.advisorStaffId());
    }
}
