package app.regulars.console;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StaffDraft;
import app.regulars.catalog.StoreDetails;
import app.regulars.catalog.StoreDraft;
import app.regulars.platform.ApiProblem;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriUtils;

/** Stores of the chain and their staff: list, add, edit. */
@Controller
class StoresPages {

    /** Timezones offered in the form; any IANA name is accepted. */
    static final List<String> TIMEZONES = List.of("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei",
            "Asia/Urumqi", "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Tokyo", "Asia/Seoul", "Europe/London",
            "America/Los_Angeles");

    /** What the store form holds, as typed. */
    record StoreForm(String code, String name, String region, String city, String timezone, String openedOn,
                     String active) {

        static StoreForm empty() {
            return new StoreForm("", "", "", "", "Asia/Shanghai", "", "true");
        }

        static StoreForm of(StoreDetails s) {
            return new StoreForm(s.code(), s.name(), nz(s.region()), nz(s.city()), s.timezone().getId(),
                    s.openedOn() == null ? "" : s.openedOn().toString(), String.valueOf(s.active()));
        }
    }

    record StaffForm(String code, String name, String role, String active) {

        static StaffForm empty() {
            return new StaffForm("", "", "clerk", "true");
        }

        static StaffForm of(app.regulars.catalog.Staff s) {
            return new StaffForm(s.code(), s.name(), s.role(), String.valueOf(s.active()));
        }
    }

    private final Catalog catalog;
    private final MessageSource messages;

    StoresPages(Catalog catalog, MessageSource messages) {
        this.catalog = catalog;
        this.messages = messages;
    }

    @GetMapping("/stores")
    String stores(@RequestParam(required = false) String code, @RequestParam(required = false) String staff,
                  Model model) {
        StoreDetails selected = code == null ? null : catalog.storeDetails(code).orElse(null);
        // Clicking a colleague fills the staff form with them, to change their role or mark them gone.
        StaffForm staffForm = selected == null || staff == null ? StaffForm.empty()
                : catalog.staff(selected.id(), staff).map(StaffForm::of).orElse(StaffForm.empty());
        return page(model, selected, selected == null ? StoreForm.empty() : StoreForm.of(selected), staffForm,
                Map.of(), Map.of());
    }

    @PostMapping("/stores")
    String saveStore(StoreForm form, Model model, Locale locale) {
        ChainWideOnly.require();
        CatalogFormErrors errors = new CatalogFormErrors(messages, locale);
        var openedOn = errors.date("openedOn", form.openedOn());
        if (errors.isEmpty()) {
            try {
                StoreDetails saved = catalog.upsertStore(new StoreDraft(form.code(), form.name(), form.region(),
                        form.city(), form.timezone(), openedOn, !"false".equals(form.active())));
                return "redirect:/stores?code=" + UriUtils.encodeQueryParam(saved.code(), "UTF-8") + "&saved=store";
            } catch (ApiProblem problem) {
                errors.addAll(problem);
            }
        }
        StoreDetails selected = form.code() == null ? null : catalog.storeDetails(form.code().strip()).orElse(null);
        return page(model, selected, form, StaffForm.empty(), errors.byField(), Map.of());
    }

    @PostMapping("/stores/{code}/staff")
    String saveStaff(@PathVariable String code, StaffForm form, Model model, Locale locale) {
        StoreDetails store = catalog.storeDetails(code).orElse(null);
        if (store == null) {
            return "redirect:/stores";
        }
        if (!Callers.current().maySee(store.id())) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN); // a store's people manage its staff only
        }
        CatalogFormErrors errors = new CatalogFormErrors(messages, locale);
        try {
            catalog.upsertStaff(store.id(), new StaffDraft(form.code(), form.name(), form.role(),
                    !"false".equals(form.active())));
            return "redirect:/stores?code=" + UriUtils.encodeQueryParam(store.code(), "UTF-8") + "&saved=staff";
        } catch (ApiProblem problem) {
            errors.addAll(problem);
        }
        return page(model, store, StoreForm.of(store), form, Map.of(), errors.byField());
    }

    private String page(Model model, StoreDetails selected, StoreForm storeForm, StaffForm staffForm,
                        Map<String, String> storeErrors, Map<String, String> staffErrors) {
        model.addAttribute("stores", catalog.storeDetails());
        model.addAttribute("selected", selected);
        model.addAttribute("mayEditStaff", selected != null && Callers.current().maySee(selected.id()));
        model.addAttribute("staff", selected == null ? List.of() : catalog.staff(selected.id()));
        model.addAttribute("storeForm", storeForm);
        model.addAttribute("staffForm", staffForm);
        model.addAttribute("storeErrors", storeErrors);
        model.addAttribute("staffErrors", staffErrors);
        model.addAttribute("timezones", TIMEZONES);
        model.addAttribute("roles", app.regulars.catalog.Staff.ROLES);
        return "catalog/stores";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
