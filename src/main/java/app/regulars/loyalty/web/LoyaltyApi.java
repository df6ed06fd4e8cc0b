package app.regulars.loyalty.web;

import app.regulars.loyalty.LoyaltyMembers;
import app.regulars.loyalty.LoyaltyProgram;
import app.regulars.loyalty.LoyaltyProgram.EarningRule;
import app.regulars.loyalty.LoyaltyProgram.Gift;
import app.regulars.loyalty.LoyaltyProgram.RuleDraft;
import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.loyalty.ManualChanges;
import app.regulars.loyalty.MemberStatus;
import app.regulars.loyalty.PointsLedger;
import app.regulars.platform.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Points and tiers for tills, the member centre and back offices. Every write is idempotent: on the
 * caller's key, or for the till's cash offset on (source, transactionId). Everything under
 * {@code /customers/{id}} is behind the customers module's scope guard: a store-scoped key or user gets
 * 404 for a customer of other stores. Manual adjustments and tiers: see {@link ManualChanges}.
 */
@RestController
@RequestMapping("/api/v1/loyalty")
class LoyaltyApi {

    record Adjustment(Long points, String reason, String idempotencyKey) {}

    record GiftRedemption(String giftCode, String idempotencyKey) {}

    record CouponExchangeRequest(String templateCode, String idempotencyKey) {}

    record ManualTier(String tierCode, Instant until, String reason) {}

    /** The till's cash offset: {@code points} may be left out to take as many as the caps allow. */
    record Redeem(Long customerId, String source, String transactionId, Long points, Long basketCents) {}

    /** What the till shows: tier, discount and points, and the ledger's account figures. */
    record Member(MemberStatus status, PointsLedger.Account account) {}

    private final PointsLedger ledger;
    private final LoyaltyMembers members;
    private final LoyaltyProgram programme;

    LoyaltyApi(PointsLedger ledger, LoyaltyMembers members, LoyaltyProgram programme) {
        this.ledger = ledger;
        this.members = members;
        this.programme = programme;
    }

    @GetMapping("/customers/{id}")
    Member member(@PathVariable long id) {
        MemberStatus status = members.status(id).orElseThrow(() -> unknown(id));
        return new Member(status, ledger.account(id));
    }

    @GetMapping("/customers/{id}/ledger")
    List<PointsLedger.Entry> entries(@PathVariable long id, @RequestParam(defaultValue = "100") int limit) {
        members.status(id).orElseThrow(() -> unknown(id));
        return ledger.entries(id, limit);
    }

    @PostMapping("/customers/{id}/adjustments")
    ResponseEntity<PointsLedger.Entry> adjust(@PathVariable long id, @RequestBody Adjustment body) {
        ManualChanges.require("manual points adjustments");
        if (body == null || body.points() == null) {
            throw ApiProblem.badRequest("points", "required");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(ledger.adjust(id, body.points(), body.reason(), body.idempotencyKey()));
    }

    @PostMapping("/customers/{id}/gift-redemptions")
    ResponseEntity<PointsLedger.GiftRedeemed> gift(@PathVariable long id, @RequestBody GiftRedemption body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        PointsLedger.GiftRedeemed r = ledger.redeemGift(id, body.giftCode(), body.idempotencyKey());
        return ResponseEntity.status(r.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(r);
    }

    @PostMapping("/customers/{id}/coupon-exchanges")
    ResponseEntity<PointsLedger.CouponExchanged> coupon(@PathVariable long id, @RequestBody CouponExchangeRequest body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        PointsLedger.CouponExchanged r = ledger.exchangeForCoupon(id, body.templateCode(), body.idempotencyKey());
        return ResponseEntity.status(r.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(r);
    }

    @PutMapping("/customers/{id}/tier")
    PointsLedger.Account manualTier(@PathVariable long id, @RequestBody ManualTier body) {
        ManualChanges.require("manual tier changes");
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        ledger.setManualTier(id, body.tierCode(), body.until(), body.reason());
        return ledger.account(id);
    }

    /** 201 when points were taken now, 200 when this transaction had taken them before. */
    @PostMapping("/redeem")
    ResponseEntity<PointsLedger.CashRedeemed> redeem(@RequestBody Redeem body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        if (body.customerId() == null) {
            throw ApiProblem.badRequest("customerId", "required");
        }
        if (body.basketCents() == null) {
            throw ApiProblem.badRequest("basketCents", "required");
        }
        PointsLedger.CashRedeemed r = ledger.redeemCash(new PointsLedger.CashRedemption(body.customerId(), body.source(),
                body.transactionId(), body.points(), body.basketCents()));
        return ResponseEntity.status(r.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(r);
    }

    @GetMapping("/verify")
    PointsLedger.Verification verify(@RequestParam(required = false) Long customerId) {
        return ledger.verify(customerId);
    }

    @GetMapping("/settings")
    Settings settings() {
        return programme.settings();
    }

    @PutMapping("/settings")
    Settings saveSettings(@RequestBody Settings body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        return programme.saveSettings(body);
    }

    @GetMapping("/rules")
    Map<String, Object> rules() {
        return Map.of("rules", programme.rules(), "conflicts", programme.conflicts());
    }

    @PostMapping("/rules")
    ResponseEntity<EarningRule> createRule(@RequestBody RuleDraft body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(programme.saveRule(null, body));
    }

    @PutMapping("/rules/{id}")
    EarningRule updateRule(@PathVariable long id, @RequestBody RuleDraft body) {
        return programme.saveRule(id, body);
    }

    @GetMapping("/tiers")
    List<Tier> tiers() {
        return programme.tiers();
    }

    @PutMapping("/tiers/{code}")
    Tier saveTier(@PathVariable String code, @RequestBody Tier body) {
        if (body == null || !code.equals(body.code())) {
            throw ApiProblem.badRequest("code", "must match the path");
        }
        return programme.saveTier(body);
    }

    @GetMapping("/gifts")
    List<Gift> gifts() {
        return programme.gifts();
    }

    @PutMapping("/gifts/{code}")
    Gift saveGift(@PathVariable String code, @RequestBody Gift body) {
        if (body == null || !code.equals(body.code())) {
            throw ApiProblem.badRequest("code", "must match the path");
        }
        return programme.saveGift(body);
    }

    @GetMapping("/figures")
    LoyaltyProgram.Figures figures() {
        return programme.figures();
    }

    private static ApiProblem unknown(long id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "customerId: unknown customer " + id,
                List.of(new ApiProblem.FieldError("customerId", "unknown customer")));
    }
}
