package app.regulars.coupons;

import app.regulars.access.Callers;
import app.regulars.customers.CustomerVisibility;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.platform.ApiProblem;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Templates, issuance and stats for HQ systems and scripts. Money in cents. A store-scoped key issues only
 * to customers of its stores (others read as not found) and cannot issue in bulk.
 */
@RestController
class CouponsApi {

    /** One coupon for one customer, named by id or by phone/card. */
    record IssueBody(Long templateId, Long customerId, String phone, String cardNo, String issueKey) {}

    /** One coupon each for a list of customers, or for the members of a saved segment (exactly one of the two). */
    record BulkBody(Long templateId, List<Long> customerIds, Long segmentId, String issueKey) {}

    record FirstPurchaseBody(Boolean enabled) {}

    private final CouponTemplates templates;
    private final Coupons coupons;
    private final Customers customers;
    private final CustomerVisibility visibility;

    CouponsApi(CouponTemplates templates, Coupons coupons, Customers customers, CustomerVisibility visibility) {
        this.templates = templates;
        this.coupons = coupons;
        this.customers = customers;
        this.visibility = visibility;
    }

    @PostMapping("/api/v1/coupon-templates")
    ResponseEntity<CouponTemplate> create(@RequestBody TemplateDraft draft) {
        return ResponseEntity.status(HttpStatus.CREATED).body(templates.create(draft));
    }

    @PutMapping("/api/v1/coupon-templates/{id}")
    CouponTemplate update(@PathVariable long id, @RequestBody TemplateDraft draft) {
        return templates.update(id, draft);
    }

    @GetMapping("/api/v1/coupon-templates")
    List<CouponTemplate> all() {
        return templates.all();
    }

    @GetMapping("/api/v1/coupon-templates/{id}")
    CouponTemplate one(@PathVariable long id) {
        return templates.find(id).orElseThrow(() -> ApiProblem.notFound("coupon template " + id));
    }

    @GetMapping("/api/v1/coupon-templates/{id}/stats")
    TemplateStats stats(@PathVariable long id) {
        return templates.stats(id);
    }

    /** Switches issuing this template on each customer's first sale. */
    @PutMapping("/api/v1/coupon-templates/{id}/first-purchase")
    FirstPurchaseBody firstPurchase(@PathVariable long id, @RequestBody FirstPurchaseBody body) {
        if (body == null || body.enabled() == null) {
            throw ApiProblem.badRequest("enabled", "required");
        }
        templates.issueOnFirstPurchase(id, body.enabled());
        return body;
    }

    /** 201 when issued now, 200 when an earlier call with the same issueKey issued it. */
    @PostMapping("/api/v1/coupons")
    ResponseEntity<Issued> issue(@RequestBody IssueBody body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        if (body.templateId() == null) {
            throw ApiProblem.badRequest("templateId", "required");
        }
        long customer = customer(body);
        if (!Callers.current().allStores() && visibility.find(customer).isEmpty()) {
            throw ApiProblem.notFound("customer " + customer); // as the customer scope guard answers
        }
        Issued issued = coupons.issue(new Issue(body.templateId(), customer, body.issueKey(), "api"));
        return ResponseEntity.status(issued.created() ? HttpStatus.CREATED : HttpStatus.OK).body(issued);
    }

    @PostMapping("/api/v1/coupons/bulk")
    BulkIssued bulk(@RequestBody BulkBody body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        if (body.templateId() == null) {
            throw ApiProblem.badRequest("templateId", "required");
        }
        if (!Callers.current().allStores()) {
            // A list or a segment spans the chain; a store's key would reach other stores' customers.
            throw new ApiProblem(HttpStatus.FORBIDDEN, "bulk issuance is for chain-wide callers (owner, HQ, unscoped keys)",
                    List.of());
        }
        if (body.segmentId() != null && body.customerIds() != null) {
            throw ApiProblem.badRequest("segmentId", "send either customerIds or segmentId, not both");
        }
        if (body.segmentId() == null && body.customerIds() == null) {
            throw ApiProblem.badRequest("customerIds", "required (or segmentId: the members of a saved segment)");
        }
        if (body.segmentId() != null) {
            if (body.segmentId() <= 0) {
                throw ApiProblem.badRequest("segmentId", "must be positive");
            }
            return coupons.issueToSegment(body.templateId(), body.segmentId(), body.issueKey(), "bulk");
        }
        return coupons.issueToAll(body.templateId(), body.customerIds(), body.issueKey(), "bulk");
    }

    @GetMapping("/api/v1/coupons/{code}")
    CustomerCoupon byCode(@PathVariable String code) {
        return coupons.byCode(code).orElseThrow(() -> ApiProblem.notFound("coupon"));
    }

    @GetMapping("/api/v1/customers/{id}/coupons")
    List<CustomerCoupon> ofCustomer(@PathVariable long id) {
        return coupons.ofCustomer(id);
    }

    private long customer(IssueBody body) {
        if (body.customerId() != null) {
            if (body.customerId() <= 0) {
                throw ApiProblem.badRequest("customerId", "must be positive");
            }
            return body.customerId();
        }
        if ((body.phone() == null || body.phone().isBlank()) && (body.cardNo() == null || body.cardNo().isBlank())) {
            throw ApiProblem.badRequest("customerId", "required (or phone or cardNo)");
        }
        return customers.find(new Identity(blankToNull(body.phone()), blankToNull(body.cardNo()), null, null, null, null))
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "customer: unknown",
                        List.of(new ApiProblem.FieldError(body.phone() != null ? "phone" : "cardNo", "no such customer"))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
