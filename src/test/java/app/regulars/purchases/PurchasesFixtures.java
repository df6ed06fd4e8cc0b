package app.regulars.purchases;

import java.util.concurrent.atomic.AtomicLong;

/** Unique codes and phones per test: all tests share one database. */
final class PurchasesFixtures {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    private PurchasesFixtures() {}

    /** An unused mainland mobile number, 137xxxxxxxx. */
    static String phone() {
        return "137" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }

    /** A one-line sale in the README's shape; {@code customer} is a JSON object or null. */
    static String sale(String source, String receiptNo, String store, String customer, String sku, int quantity,
                       String unitPrice) {
        return """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",%s
                 "lines":[{"sku":"%s","quantity":%d,"unitPrice":"%s"}]}"""
                .formatted(source, receiptNo, store, customer == null ? "" : "\"customer\":" + customer + ",", sku,
                        quantity, unitPrice);
    }

    static String refund(String source, String receiptNo, String original, String store, String sku, int quantity,
                         String unitPrice) {
        return """
                {"source":"%s","receiptNo":"%s","kind":"refund","originalReceiptNo":"%s","reasonCode":"size",
                 "storeCode":"%s","purchasedAt":"2026-11-12T10:00:00+08:00",
                 "lines":[{"sku":"%s","quantity":%d,"unitPrice":"%s"}]}"""
                .formatted(source, receiptNo, original, store, sku, quantity, unitPrice);
    }

    static String phoneCustomer(String phone) {
        return "{\"phone\":\"" + phone + "\"}";
    }
}
