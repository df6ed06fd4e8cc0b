package app.regulars.customers.web;

import app.regulars.access.Callers;
import app.regulars.customers.Consent;
import app.regulars.customers.ConsentChange;
import app.regulars.customers.Consents;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.CustomerSummary;
import app.regulars.customers.CustomerVisibility;
import app.regulars.customers.Duplicates;
import app.regulars.customers.Identity;
import app.regulars.customers.ProfileChange;
import app.regulars.customers.Registration;
import app.regulars.platform.ApiProblem;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Customers for POS, ERP and e-commerce systems. Phones leave masked; lookups go through blind indexes. */
@RestController
@RequestMapping("/api/v1/customers")
class CustomersApi {

    /** What a system sends to register or update a customer: identity, profile, custom values, consents. */
    record CustomerBody(String phone, String cardNo, String wechatOpenId, String wechatUnionId, String externalSource,
                        String externalId, Long registrationStoreId, String registrationChannel, String name,
                        String gender, String birthday, String address, String region, String city, Long homeStoreId,
                        Long referrerCustomerId, String advisorStaff, Map<String, String> custom,
                        List<ConsentChange> consents, String registeredAt) {

        Registration registration() {
            return new Registration(new Identity(phone, cardNo, wechatOpenId, wechatUnionId, externalSource, externalId),
                    registrationStoreId, registrationChannel,
                    new ProfileChange(name, null, null, gender, birthday, address, region, city, homeStoreId,
                            referrerCustomerId, advisorStaff, custom, registeredAt),
                    consents);
        }
    }

    record MergeBody(Long survivorId, Long mergedId) {}

    record ConsentsView(List<Consent> current, List<Consent> history) {}

    private final CustomerProfiles profiles;
    private final Consents consents;
    private final Duplicates duplicates;
    private final CustomerVisibility visibility;

    CustomersApi(CustomerProfiles profiles, Consents consents, Duplicates duplicates, CustomerVisibility visibility) {
        this.profiles = profiles;
        this.consents = consents;
        this.duplicates = duplicates;
        this.visibility = visibility;
    }

    /**
     * Upsert by identity: 201 with the new customer, or 200 with the existing one updated; an existing
     * customer of stores the caller does not see comes back withheld (id and masked phone only).
     */
    @PostMapping
    ResponseEntity<CustomerProfile> register(@RequestBody CustomerBody body) {
        Registration.Registered r = profiles.register(body.registration());
        CustomerProfile p = r.profile();
        CustomerProfile shown = r.created()
                || CustomerVisibility.visibleTo(Callers.current(), p.homeStoreId(), p.registrationStoreId()) ? p
                : p.withheld();
        return ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK).body(shown);
    }

    @GetMapping("/{id}")
    CustomerProfile get(@PathVariable long id) {
        return profiles.profile(id).orElseThrow(() -> ApiProblem.notFound("customer " + id));
    }

    @PatchMapping("/{id}")
    CustomerProfile patch(@PathVariable long id, @RequestBody ProfileChange change) {
        return profiles.update(id, change);
    }

    /** Finding duplicates and merging look across the whole chain: owner, HQ and unscoped keys only. */
    private static void chainWide(String what) {
        if (!Callers.current().allStores()) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, what + " needs access to every store", List.of());
        }
    }

    /** Exactly one of phone, card or name (exact); none lists the newest customers. */
    @GetMapping
    Object search(@RequestParam(required = false) String phone, @RequestParam(required = false) String card,
                  @RequestParam(required = false) String name, @RequestParam(defaultValue = "0") int page,
                  @RequestParam(defaultValue = "50") int size) {
        int given = (phone == null ? 0 : 1) + (card == null ? 0 : 1) + (name == null ? 0 : 1);
        if (given > 1) {
            throw ApiProblem.badRequest("phone", "search by one of phone, card or name");
        }
        if (phone != null) {
            return found(profiles.searchByPhone(phone));
        }
        if (card != null) {
            return found(profiles.searchByCard(card));
        }
        if (name != null) {
            return found(profiles.searchByName(name));
        }
        return profiles.newest(page, size, visibility.listScope());
    }

    private Map<String, List<CustomerSummary>> found(List<CustomerSummary> customers) {
        return Map.of("customers", visibility.filter(customers));
    }

    @PostMapping("/{id}/consents")
    ResponseEntity<Consent> recordConsent(@PathVariable long id, @RequestBody ConsentChange change) {
        return ResponseEntity.status(HttpStatus.CREATED).body(consents.record(id, change));
    }

    @GetMapping("/{id}/consents")
    ConsentsView consents(@PathVariable long id) {
        get(id);
        return new ConsentsView(consents.current(id), consents.history(id));
    }

    @GetMapping("/duplicates")
    List<Duplicates.Candidate> duplicates(@RequestParam(defaultValue = "100") int limit) {
        chainWide("finding duplicates");
        return duplicates.candidates(limit);
    }

    /** Merges {@code mergedId} into {@code survivorId}; answers with the survivor's profile. */
    @PostMapping("/merge")
    CustomerProfile merge(@RequestBody MergeBody body) {
        chainWide("merging customers");
        if (body.survivorId() == null) {
            throw ApiProblem.badRequest("survivorId", "required");
        }
        if (body.mergedId() == null) {
            throw ApiProblem.badRequest("mergedId", "required");
        }
        duplicates.merge(body.survivorId(), body.mergedId());
        return profiles.profile(body.survivorId()).orElseThrow();
    }
}
