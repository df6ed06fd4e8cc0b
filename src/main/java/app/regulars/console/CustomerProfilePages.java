package app.regulars.console;

import app.regulars.access.Audit;
import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Staff;
import app.regulars.catalog.Store;
import app.regulars.customers.ConsentChange;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.CustomerSummary;
import app.regulars.customers.Identity;
import app.regulars.customers.PhoneNumber;
import app.regulars.customers.ProfileChange;
import app.regulars.customers.Registration;
import app.regulars.platform.ApiProblem;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * Signing a customer up at the counter (开卡) and changing their profile: the forms a clerk or store
 * manager uses instead of the API. A new phone or card replaces the old one (which stops finding the
 * customer); one that another customer has is refused with who has it.
 */
@Controller
class CustomerProfilePages {

    /** How a {@code datetime-local} input writes a time, and how the form shows the stored one. */
    private static final DateTimeFormatter LOCAL_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    static final List<String> REGISTRATION_CHANNELS = List.of("store", "mini_program", "online", "app", "phone",
            "social", "other");
    /** Marketing consents the sign-up form can record as given there and then. */
    static final List<String> CONSENT_CHANNELS = List.of("sms", "wechat", "email", "phone");

    /**
     * The form as typed. Fields left empty on the change form keep what is stored, except those it shows
     * filled in (name, gender, region, city, advisor), where emptying one clears it.
     */
    record ProfileForm(String phone, String cardNo, String name, String gender, String birthday, String address,
                       String region, String city, String homeStoreId, String advisorStaff, String referrerCustomerId,
                       String registrationChannel, String registeredAt, List<String> marketing) {

        ProfileForm {
            marketing = marketing == null ? List.of() : List.copyOf(marketing);
        }

        static ProfileForm empty(Long homeStoreId) {
            return new ProfileForm("", "", "", "", "", "", "", "", homeStoreId == null ? "" : homeStoreId.toString(),
                    "", "", "store", "", List.of());
        }

        static ProfileForm of(CustomerProfile p, String advisorCode) {
            return new ProfileForm("", "", nullToEmpty(p.name()), nullToEmpty(p.gender()), "", "",
                    nullToEmpty(p.region()), nullToEmpty(p.city()),
                    p.homeStoreId() == null ? "" : p.homeStoreId().toString(), nullToEmpty(advisorCode),
                    p.referrerCustomerId() == null ? "" : p.referrerCustomerId().toString(),
                    nullToEmpty(p.registrationChannel()), joined(p), List.of());
        }
    }

    private final CustomerProfiles profiles;
    private final Catalog catalog;
    private final Audit audit;
    private final Reasons reasons;
    private final MessageSource messages;

    CustomerProfilePages(CustomerProfiles profiles, Catalog catalog, Audit audit, Reasons reasons,
                         MessageSource messages) {
        this.profiles = profiles;
        this.catalog = catalog;
        this.audit = audit;
        this.reasons = reasons;
        this.messages = messages;
    }

    @GetMapping("/customers/new")
    String newCustomer(Model model) {
        List<Store> stores = storesOfCaller();
        return signUpForm(ProfileForm.empty(stores.size() == 1 ? stores.getFirst().id() : null), Map.of(), model);
    }

    /**
     * Signs the customer up, or says who already has the phone or card: a counter form must not quietly
     * change a regular's profile because someone typed their number.
     */
    @PostMapping("/customers/new")
    String signUp(ProfileForm form, Model model, Locale locale) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (blank(form.phone()) && blank(form.cardNo())) {
            errors.put("phone", message("c360.form.identityNeeded", locale));
        }
        phoneReadable(form, errors, locale);
        Long home = number(form.homeStoreId(), "homeStoreId", errors, locale);
        if (home != null && !Callers.current().maySee(home)) {
            errors.put("homeStoreId", message("c360.form.notYourStore", locale));
        } else if (home == null && !Callers.current().allStores()) {
            // Store staff see the customers of their stores: one signed up without a store would vanish.
            errors.put("homeStoreId", message("c360.form.storeNeeded", locale));
        }
        Long referrer = number(form.referrerCustomerId(), "referrerCustomerId", errors, locale);
        Optional<CustomerSummary> known = known(form);
        if (known.isPresent()) {
            model.addAttribute("knownCustomer", known.get());
            return signUpForm(form, errors, model);
        }
        if (!errors.isEmpty()) {
            return signUpForm(form, errors, model);
        }
        ProfileChange profile = new ProfileChange(form.name(), form.phone(), form.cardNo(), form.gender(),
                form.birthday(), blankToNull(form.address()), form.region(), form.city(), home, referrer,
                blankToNull(form.advisorStaff()), null, blankToNull(form.registeredAt()));
        List<ConsentChange> consents = form.marketing().stream().filter(CONSENT_CHANNELS::contains)
                .map(ch -> new ConsentChange(ch, "marketing", true, null, "console", null, "sign-up form")).toList();
        Identity identity = new Identity(blankToNull(form.phone()), blankToNull(form.cardNo()), null, null, null, null);
        try {
            Registration.Registered r = profiles.register(new Registration(identity, home,
                    blankToNull(form.registrationChannel()), profile, consents));
            audit.record("customer.signed-up", "customer", String.valueOf(r.profile().id()), Map.of());
            return "redirect:/customers/" + r.profile().id() + "?created";
        } catch (ApiProblem problem) {
            errors.putAll(reasons.byField(problem.errors(), CustomerProfilePages::formField, locale));
            return signUpForm(form, errors, model);
        }
    }

    @GetMapping("/customers/{id}/edit")
    String edit(@PathVariable long id, Model model) {
        CustomerProfile p = living(id);
        if (p.id() != id) {
            return "redirect:/customers/" + p.id() + "/edit";
        }
        return changeForm(p, ProfileForm.of(p, advisorCode(p)), Map.of(), model);
    }

    @PostMapping("/customers/{id}/edit")
    String change(@PathVariable long id, ProfileForm form, Model model, RedirectAttributes redirect, Locale locale) {
        CustomerProfile p = living(id);
        ProfileForm shown = ProfileForm.of(p, advisorCode(p));
        Map<String, String> errors = new LinkedHashMap<>();
        Long home = number(form.homeStoreId(), "homeStoreId", errors, locale);
        Long referrer = number(form.referrerCustomerId(), "referrerCustomerId", errors, locale);
        phoneReadable(form, errors, locale);
        takenByAnother(p.id(), form, errors, locale);
        if (!errors.isEmpty()) {
            return changeForm(p, form, errors, model);
        }
        // Only what the person changed is sent: an untouched form announces no change, and the joining
        // time, shown to the minute, does not lose its seconds. A new home store takes the advisor picked
        // among its staff (none, when the picker was left empty).
        boolean moved = home != null && !home.equals(p.homeStoreId());
        ProfileChange change = new ProfileChange(changed(form.name(), shown.name()), blankToNull(form.phone()),
                blankToNull(form.cardNo()),
                changed(form.gender(), shown.gender()), blankToNull(form.birthday()), blankToNull(form.address()),
                changed(form.region(), shown.region()), changed(form.city(), shown.city()), moved ? home : null,
                referrer != null && !referrer.equals(p.referrerCustomerId()) ? referrer : null,
                moved ? nullToEmpty(form.advisorStaff()) : changed(form.advisorStaff(), shown.advisorStaff()), null,
                changed(form.registeredAt(), shown.registeredAt()));
        try {
            profiles.update(p.id(), change);
        } catch (ApiProblem problem) {
            errors.putAll(reasons.byField(problem.errors(), CustomerProfilePages::formField, locale));
            return changeForm(p, form, errors.isEmpty() ? Map.of("", reasons.first(problem, locale)) : errors, model);
        }
        redirect.addFlashAttribute("profileSaved", true);
        return "redirect:/customers/" + p.id() + "#profile";
    }

    /** The advisor picker for a home store, swapped in by htmx when the store changes. */
    @GetMapping("/customers/advisors")
    String advisors(@RequestParam(required = false) Long homeStoreId, Model model) {
        boolean ours = homeStoreId != null && Callers.current().maySee(homeStoreId);
        model.addAttribute("advisors", ours ? activeStaff(homeStoreId) : List.of());
        model.addAttribute("form", ProfileForm.empty(homeStoreId));
        return "customers/profile-form :: advisor";
    }

    private String signUpForm(ProfileForm form, Map<String, String> errors, Model model) {
        model.addAttribute("creating", true);
        model.addAttribute("consentChannels", CONSENT_CHANNELS);
        return form(form, errors, storesOfCaller(), model);
    }

    private String changeForm(CustomerProfile p, ProfileForm form, Map<String, String> errors, Model model) {
        model.addAttribute("creating", false);
        model.addAttribute("customer", p);
        model.addAttribute("birthdayShown", p.birthMmdd() == null ? ""
                : p.birthMmdd().substring(0, 2) + "-" + p.birthMmdd().substring(2, 4));
        // A store's staff see a customer registered with them whose home is elsewhere: that home stays
        // on offer (and its advisors), or saving the form would look like clearing them.
        List<Store> stores = new ArrayList<>(storesOfCaller());
        if (p.homeStoreId() != null && stores.stream().noneMatch(s -> s.id() == p.homeStoreId())) {
            catalog.store(p.homeStoreId()).ifPresent(stores::add);
        }
        return form(form, errors, stores, model);
    }

    private String form(ProfileForm form, Map<String, String> errors, List<Store> stores, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("stores", stores);
        model.addAttribute("channels", REGISTRATION_CHANNELS);
        Long home = parsedOrNull(form.homeStoreId());
        model.addAttribute("advisors", home == null ? List.of() : activeStaff(home));
        return "customers/profile-form";
    }

    private CustomerProfile living(long id) {
        return profiles.profile(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    /**
     * A new phone or card of a customer that another customer has: refused here with who has it. The
     * API would keep it with its owner and list the two as duplicates; at a counter the person asking
     * should merge them knowingly instead.
     */
    private void takenByAnother(long self, ProfileForm form, Map<String, String> errors, Locale locale) {
        phoneHolder(form).filter(c -> c.id() != self).ifPresent(c ->
                errors.put("phone", messages.getMessage("c360.form.takenBy", new Object[] {c.id()}, locale)));
        cardHolder(form).filter(c -> c.id() != self).ifPresent(c ->
                errors.put("cardNo", messages.getMessage("c360.form.takenBy", new Object[] {c.id()}, locale)));
    }

    /**
     * A phone that is not one, named with the form's other mistakes: the registration would say so only
     * once those were put right, a second submit for the commonest slip at a counter.
     */
    private void phoneReadable(ProfileForm form, Map<String, String> errors, Locale locale) {
        if (!blank(form.phone()) && PhoneNumber.tryParse(form.phone()).isEmpty()) {
            errors.put("phone", reasons.of(PhoneNumber.parseError("phone"), locale));
        }
    }

    /** Who already has the phone or card typed, if anyone. */
    private Optional<CustomerSummary> known(ProfileForm form) {
        return phoneHolder(form).or(() -> cardHolder(form));
    }

    /** Who has the phone typed; nobody for a phone that is not one (the registration refuses it). */
    private Optional<CustomerSummary> phoneHolder(ProfileForm form) {
        if (blank(form.phone()) || PhoneNumber.tryParse(form.phone()).isEmpty()) {
            return Optional.empty();
        }
        return profiles.searchByPhone(form.phone()).stream().findFirst();
    }

    private Optional<CustomerSummary> cardHolder(ProfileForm form) {
        return blank(form.cardNo()) ? Optional.empty() : profiles.searchByCard(form.cardNo().strip()).stream().findFirst();
    }

    /** A home store may be any store for chain-wide staff; a store's staff register at their own. */
    private List<Store> storesOfCaller() {
        return visibleTo(Callers.current(), catalog.stores());
    }

    /** The stores a user sees, for their pickers. */
    static List<Store> visibleTo(Caller caller, List<Store> stores) {
        return stores.stream().filter(s -> caller.maySee(s.id())).toList();
    }

    private List<Staff> activeStaff(long storeId) {
        return catalog.staff(storeId).stream().filter(Staff::active).toList();
    }

    private String advisorCode(CustomerProfile p) {
        return advisorOf(catalog, p).map(Staff::code).orElse(null);
    }

    /** The customer's dedicated advisor (专属顾问), a staff member of their home store. */
    static Optional<Staff> advisorOf(Catalog catalog, CustomerProfile p) {
        if (p.advisorStaffId() == null || p.homeStoreId() == null) {
            return Optional.empty();
        }
        return catalog.staff(p.homeStoreId()).stream().filter(s -> s.id() == p.advisorStaffId()).findFirst();
    }

    /** The stored joining time as the form's {@code datetime-local} shows it, in the customer's zone. */
    private static String joined(CustomerProfile p) {
        ZoneId zone = p.timezone();
        return p.registeredAt().atZone(zone).format(LOCAL_MINUTES);
    }

    /** The form field a refusal of the customers module names ("identity.phone" is the phone box). */
    private static String formField(String apiField) {
        return apiField.startsWith("identity.") ? apiField.substring("identity.".length()) : apiField;
    }

    private Long number(String text, String field, Map<String, String> errors, Locale locale) {
        if (blank(text)) {
            return null;
        }
        Long value = parsedOrNull(text);
        if (value == null) {
            errors.put(field, message("c360.form.notNumber", locale));
        }
        return value;
    }

    private static Long parsedOrNull(String text) {
        if (blank(text)) {
            return null;
        }
        try {
            return Long.parseLong(text.strip().replaceFirst("^#", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String message(String key, Locale locale) {
        return messages.getMessage(key, null, locale);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** What was typed when it differs from what the form showed ("" clears), else null (unchanged). */
    private static String changed(String typed, String shown) {
        String value = nullToEmpty(typed).strip();
        return value.equals(shown) ? null : value;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return blank(s) ? null : s.strip();
    }
}
