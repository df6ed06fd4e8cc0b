package app.regulars.customers.web;

import app.regulars.access.Audit;
import app.regulars.customers.CustomerIdentities;
import app.regulars.customers.CustomerProfile.KnownIdentity;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's identities one by one. An identity is named by its handle, never by its value, so no
 * phone number travels in a URL.
 */
@RestController
@RequestMapping("/api/v1/customers/{id}/identities")
class CustomerIdentitiesApi {

    /** kind: phone, card, wechat_openid, wechat_unionid or external (with source, the POS). */
    record IdentityBody(String kind, String source, String value) {}

    private final CustomerIdentities identities;
    private final Audit audit;

    CustomerIdentitiesApi(CustomerIdentities identities, Audit audit) {
        this.identities = identities;
        this.audit = audit;
    }

    @GetMapping
    List<KnownIdentity> list(@PathVariable long id) {
        return identities.of(id);
    }

    /** 201 with the customer's identities when it is new to them, 200 when they had it already. */
    @PostMapping
    ResponseEntity<List<KnownIdentity>> attach(@PathVariable long id, @RequestBody IdentityBody body) {
        boolean added = identities.attach(id, body.kind(), body.source(), body.value());
        if (added) {
            audit.record("customer.identity-attached", "customer", String.valueOf(id), Map.of("kind", body.kind()));
        }
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK).body(identities.of(id));
    }

    @DeleteMapping("/{handle}")
    ResponseEntity<Void> detach(@PathVariable long id, @PathVariable String handle) {
        identities.detach(id, handle);
        audit.record("customer.identity-detached", "customer", String.valueOf(id), Map.of());
        return ResponseEntity.noContent().build();
    }
}
