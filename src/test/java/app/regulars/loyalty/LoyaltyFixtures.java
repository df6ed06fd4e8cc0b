package app.regulars.loyalty;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Unique codes and phones per test (all tests share one database), and receipts in the README's shape. */
public final class LoyaltyFixtures {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    private LoyaltyFixtures() {}

    /** An unused mainland mobile number, 136xxxxxxxx. */
    public static String phone() {
        return "136" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    public static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }

    /** A sale of one or more lines "SKU:quantity:unitPrice" to the customer with this phone. */
    public static String sale(String source, String receiptNo, String store, String phone, Instant at, String... lines) {
        return """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"%s","customer":{"phone":"%s"},
                 "lines":[%s]}""".formatted(source, receiptNo, store, at, phone, lines(lines));
    }

    public static String refund(String source, String receiptNo, String original, String store, Instant at,
                                String... lines) {
        return """
                {"source":"%s","receiptNo":"%s","kind":"refund","originalReceiptNo":"%s","reasonCode":"size",
                 "storeCode":"%s","purchasedAt":"%s","lines":[%s]}""".formatted(source, receiptNo, original, store, at,
                lines(lines));
    }

    private static String lines(String... lines) {
        StringBuilder json = new StringBuilder();
        for (String line : lines) {
            String[] p = line.split(":");
            if (!json.isEmpty()) {
                json.append(',');
            }
            json.append("{\"sku\":\"%s\",\"quantity\":%s,\"unitPrice\":\"%s\"}".formatted(p[0], p[1], p[2]));
        }
        return json.toString();
    }
}
