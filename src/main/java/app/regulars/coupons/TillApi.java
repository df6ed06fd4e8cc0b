package app.regulars.coupons;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The till: quote a basket (applicable coupons, the reasons of the others, the best combination, points)
 * and redeem coupons for a receipt. A refused redemption is a 422 whose {@code errors} name each coupon
 * ({@code couponCodes[i]}) with a {@link CouponReason} code.
 */
@RestController
@RequestMapping("/api/v1/till")
class TillApi {

    private final Till till;

    TillApi(Till till) {
        this.till = till;
    }

    @PostMapping("/quote")
    Till.Quote quote(@RequestBody TillRequest request) {
        return till.quote(request);
    }

    /** 201 when this call redeemed, 200 with {@code replayed: true} when an earlier call with the same transaction id did. */
    @PostMapping("/redeem")
    ResponseEntity<Till.Redemption> redeem(@RequestBody TillRequest request) {
        Till.Redemption r = till.redeem(request);
        return ResponseEntity.status(r.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(r);
    }
}
