package app.regulars.coupons;

import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /api/v1/till/quote} and {@code /redeem}. Money in yuan (decimal strings or
 * numbers, as on receipts), converted to cents exactly. {@code source}, {@code tillTransactionId} and
 * {@code receiptNo} are for redeem only: (source, tillTransactionId) is the idempotency key, and
 * (source, receiptNo) ties the redemption to the receipt the till posts.
 */
record TillRequest(String source, String tillTransactionId, String receiptNo, String storeCode, Who customer,
                   List<LineJson> lines, List<String> couponCodes) {

    /** The customer as the till knows them: a phone, a member card or our customer id. */
    record Who(String phone, String cardNo, Long customerId) {}

    /** A basket line; {@code category} may be left out when the catalog knows the SKU. */
    record LineJson(String sku, String category, BigDecimal quantity, BigDecimal unitPrice, BigDecimal discount) {}
}
