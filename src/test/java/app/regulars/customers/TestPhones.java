package app.regulars.customers;

import java.util.concurrent.atomic.AtomicLong;

/** Mainland mobile numbers no other test uses: tests share one database. */
final class TestPhones {
    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    private TestPhones() {}

    /** An unused 11-digit mainland mobile number, 139xxxxxxxx. */
    static String fresh() {
        return "139" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    static String freshCard() {
        return "VIP" + Long.toString(System.nanoTime(), 36).toUpperCase() + NEXT.incrementAndGet();
    }
}
