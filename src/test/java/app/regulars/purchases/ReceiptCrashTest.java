package app.regulars.purchases;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.ChildRegulars;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regulars as a separate OS process, SIGKILLed in the middle of a burst of receipts, restarted on the
 * same data and sent everything again as a till would: every acknowledged receipt is there exactly
 * once and the customer stats consumer has counted each receipt exactly once.
 */
@Tag("crash")
class ReceiptCrashTest {

    private static final int WRITERS = 6;
    private static final int CUSTOMERS = 12;
    private static final String SOURCE = "crash-pos";
    private static final String STORE = "CRASH-01";

    private ChildRegulars child;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aKilledServerLosesNoAcknowledgedReceiptAndCountsEachOnce() throws Exception {
        child = ChildRegulars.prepare("crash");
        child.start("first");
        child.insertStore(STORE, "Crash test store");
        String key = child.insertApiKey();

        Map<String, String> sent = new ConcurrentHashMap<>();   // receiptNo → body, everything attempted
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                running.add(writers.submit(() -> {
                    while (!killed.get() || next.get() < 10) {
                        int n = next.getAndIncrement();
                        String no = "K-" + n;
                        String body = body(no, n);
                        sent.put(no, body);
                        if (post(key, body) / 100 == 2) {
                            acknowledged.add(no);
                        } else if (killed.get()) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (acknowledged.size() < 300 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            long pid = child.pid();
            int exit = child.kill(); // SIGKILL on Linux: no shutdown hooks, no graceful close
            killed.set(true);
            assertThat(exit).as("pid %d died of SIGKILL (128 + 9)", pid).isEqualTo(137);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(acknowledged).as("receipts acknowledged before the kill").hasSizeGreaterThan(50);
        System.out.printf("crash test: %d receipts sent, %d acknowledged before SIGKILL%n", sent.size(),
                acknowledged.size());

        child.start("second");
        String keyAfter = key;
        try (ExecutorService retries = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<Integer>> statuses = new ArrayList<>();
            sent.values().forEach(body -> statuses.add(retries.submit(() -> post(keyAfter, body))));
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isIn(200, 201);
            }
        }

        try (Connection c = child.connect()) {
            Map<String, Integer> stored = perReceipt(c);
            for (String no : acknowledged) {
                assertThat(stored.get(no)).as("acknowledged receipt %s stored exactly once", no).isEqualTo(1);
            }
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
            assertThat(stored.values()).allMatch(n -> n == 1);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<Long, long[]> counts = statsAgainstReceipts(c);
            while (!consistent(counts) && System.nanoTime() < until) {
                Thread.sleep(200);
                counts = statsAgainstReceipts(c);
            }
            assertThat(counts).as("per customer: {orders in customer_stats, receipts}").hasSize(CUSTOMERS);
            counts.forEach((customer, n) ->
                    assertThat(n[0]).as("orders counted for customer %d", customer).isEqualTo(n[1]));
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    // ---- the till

    private int post(String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(child.uri("/api/v1/receipts"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return child.http().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // no answer: the till does not know whether it was stored
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(String receiptNo, int n) {
        String phone = "136" + String.format("%08d", 55_000_000 + n % CUSTOMERS);
        return """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-%d","quantity":1,"unitPrice":"19.90"}]}"""
                .formatted(SOURCE, receiptNo, STORE, phone, n % 5);
    }

    // ---- the database

    private static Map<String, Integer> perReceipt(Connection c) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select receipt_no, count(*) from receipt where source = '" + SOURCE
                     + "' group by receipt_no")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    /** Per customer: orders as the stats consumer counted them, and receipts as stored. */
    private static Map<Long, long[]> statsAgainstReceipts(Connection c) throws SQLException {
        Map<Long, long[]> counts = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select r.customer_id, coalesce(max(cs.orders), 0), count(*)
                from receipt r left join customer_stats cs on cs.customer_id = r.customer_id
                where r.source = '%s' group by r.customer_id""".formatted(SOURCE))) {
            while (rs.next()) {
                counts.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        return counts;
    }

    private static boolean consistent(Map<Long, long[]> counts) {
        return counts.values().stream().allMatch(n -> n[0] == n[1]);
    }
}
