package app.regulars.console;

import app.regulars.access.Audit;
import app.regulars.access.Callers;
import app.regulars.customers.CustomerIdentities;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.platform.ApiProblem;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.server.ResponseStatusException;

/**
 * The identities card of the customer 360 page: a second card or a WeChat id added at the counter, a
 * phone number the customer gave up detached so that it stops finding them.
 */
@Controller
class CustomerIdentitiesSection {

    /** The kinds staff add by hand, most common first. */
    static final List<String> KINDS = List.of("card", "phone", "wechat_unionid", "wechat_openid", "external");

    record IdentityForm(String kind, String source, String value) {
        static final IdentityForm EMPTY = new IdentityForm("card", "", "");
    }

    private final CustomerIdentities identities;
    private final CustomerProfiles profiles;
    private final Audit audit;
    private final Reasons reasons;
    private final MessageSource messages;

    CustomerIdentitiesSection(CustomerIdentities identities, CustomerProfiles profiles, Audit audit, Reasons reasons,
                              MessageSource messages) {
        this.identities = identities;
        this.profiles = profiles;
        this.audit = audit;
        this.reasons = reasons;
        this.messages = messages;
    }

    /** What the card needs, for the 360 page that includes it. */
    static void show(CustomerProfile customer, Model model) {
        show(customer, IdentityForm.EMPTY, Map.of(), null, model);
    }

    private static void show(CustomerProfile customer, IdentityForm form, Map<String, String> errors, String notice,
                             Model model) {
        model.addAttribute("customerId", customer.id());
        model.addAttribute("identities", customer.identities());
        model.addAttribute("zone", customer.timezone());
        model.addAttribute("identityKinds", KINDS);
        model.addAttribute("identityForm", form);
        model.addAttribute("identityErrors", errors);
        model.addAttribute("identityNotice", notice);
        model.addAttribute("mayReveal", Callers.current().mayRevealPii());
        model.addAttribute("mayMerge", Callers.current().allStores());
    }

    @PostMapping("/customers/{id}/identities")
    String attach(@PathVariable long id, IdentityForm form, Model model, Locale locale,
                  @RequestHeader(name = "HX-Request", required = false) String htmx) {
        try {
            boolean added = identities.attach(id, form.kind(), form.source(), form.value());
            if (added) {
                audit.record("customer.identity-attached", "customer", String.valueOf(id), Map.of("kind", form.kind()));
            }
            return section(id, IdentityForm.EMPTY, Map.of(),
                    messages.getMessage(added ? "c360.identity.added" : "c360.identity.hadIt", null, locale), model, htmx);
        } catch (ApiProblem problem) {
            model.addAttribute("holder", holder(problem));
            return section(id, form, refusal(problem, locale), null, model, htmx);
        }
    }

    /**
     * Who has the identity, when that was the refusal. WHY: such a pair is not on the duplicates page
     * (that lists customers sharing a profile phone or card), so the card offers the merge itself.
     */
    private static Long holder(ApiProblem problem) {
        return problem.errors().stream().filter(e -> "customers.refused.identityTaken".equals(e.code()))
                .map(e -> Long.valueOf(e.argument())).findFirst().orElse(null);
    }

    @PostMapping("/customers/{id}/identities/{handle}/detach")
    String detach(@PathVariable long id, @PathVariable String handle, Model model, Locale locale,
                  @RequestHeader(name = "HX-Request", required = false) String htmx) {
        try {
            identities.detach(id, handle);
            audit.record("customer.identity-detached", "customer", String.valueOf(id), Map.of());
            return section(id, IdentityForm.EMPTY, Map.of(),
                    messages.getMessage("c360.identity.detached", null, locale), model, htmx);
        } catch (ApiProblem problem) {
            // Not found: detached meanwhile, in another tab or by someone else; said in the reader's language.
            String reason = problem.status() == HttpStatus.NOT_FOUND && problem.errors().isEmpty()
                    ? messages.getMessage("c360.identity.gone", null, locale) : reasons.first(problem, locale);
            return section(id, IdentityForm.EMPTY, Map.of("", reason), null, model, htmx);
        }
    }

    /** An identity unmasked, for htmx to swap in place of the masked one; audited, never logged. */
    @PostMapping("/customers/{id}/identities/{handle}/reveal")
    String reveal(@PathVariable long id, @PathVariable String handle, Model model) {
        if (!Callers.current().mayRevealPii()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        String value = identities.reveal(id, handle).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        audit.record("customer.pii.revealed", "customer", String.valueOf(id), Map.of("field", "identity"));
        model.addAttribute("value", value);
        return "customers/identities :: revealed";
    }

    /** The card again, or (without htmx) the whole page at the card. */
    private String section(long id, IdentityForm form, Map<String, String> errors, String notice, Model model,
                           String htmx) {
        CustomerProfile customer = profiles.profile(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (htmx == null) {
            return "redirect:/customers/" + customer.id() + "#identities";
        }
        show(customer, form, errors, notice, model);
        return "customers/identities :: identities";
    }

    /** A refusal at its field of the add form; "value" errors show under the form, others above it. */
    private Map<String, String> refusal(ApiProblem problem, Locale locale) {
        Map<String, String> errors = reasons.byField(problem.errors(), locale);
        return errors.isEmpty() ? Map.of("", reasons.first(problem, locale)) : errors;
    }
}
