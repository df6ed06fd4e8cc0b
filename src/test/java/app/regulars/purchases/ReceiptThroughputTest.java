package app.regulars.purchases;

import static app.regulars.purchases.PurchasesFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Receipts per second and latency percentiles over HTTP, one receipt per call, every receipt a new
 * customer (the most expensive case). Prints its numbers; asserts only that everything was stored,
 * since a shared 2-core machine makes timing thresholds flaky.
 */
@Tag("bench")
class ReceiptThroughputTest extends IntegrationTest {

    private static final int RECEIPTS = Integer.getInteger("bench.receipts", 1000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    /** With -Dbench.anonymous=true the receipts carry no customer: the cost of intake without identity resolution. */
    private static final boolean ANONYMOUS = Boolean.getBoolean("bench.anonymous");

    @Autowired Catalog catalog;

    @Test
    void receiptsPerSecondOverHttp() throws Exception {
        String source = unique("bench");
        String store = unique("BENCH");
        StoreFixtures.create(catalog, store);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String key = apiKey();
        long phoneBase = 13_500_000_000L + (System.nanoTime() % 90_000_000L) * 10;
        for (int i = 0; i < 200; i++) { // warm-up: JIT, connection pool, caches
            post(http, key, body(source, "W-" + i, store, phoneBase + 9_000_000 + i));
        }
        long[] micros = new long[RECEIPTS];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int n = next.getAndIncrement(); n < RECEIPTS; n = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        int status = post(http, key, body(source, "R-" + n, store, phoneBase + n));
                        micros[n] = (System.nanoTime() - t0) / 1000;
                        if (status == 201) {
                            created.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(micros);
        System.out.printf("intake bench: %d receipts, %d clients, %.0f receipts/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                RECEIPTS, CLIENTS, RECEIPTS / seconds, micros[RECEIPTS / 2] / 1000.0,
                micros[(int) (RECEIPTS * 0.99)] / 1000.0, micros[RECEIPTS - 1] / 1000.0);
        assertThat(created.get()).isEqualTo(RECEIPTS);
    }

    @Test
    void receiptsPerSecondInBatchesOverHttp() throws Exception {
        String source = unique("bench-batch");
        String store = unique("BENCH");
        StoreFixtures.create(catalog, store);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String key = apiKey();
        long phoneBase = 13_400_000_000L + (System.nanoTime() % 90_000_000L) * 10;
        int batch = 500;
        int batches = Math.max(2, RECEIPTS * 2 / batch);
        AtomicInteger next = new AtomicInteger();
        long[] millis = new long[batches];
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                running.add(clients.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                        StringBuilder body = new StringBuilder("{\"receipts\":[");
                        for (int i = 0; i < batch; i++) {
                            int n = b * batch + i;
                            body.append(i == 0 ? "" : ",").append(body(source, "B-" + n, store, phoneBase + n));
                        }
                        long t0 = System.nanoTime();
                        assertThat(post(http, key, body.append("]}").toString())).isEqualTo(201);
                        millis[b] = (System.nanoTime() - t0) / 1_000_000;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(millis);
        System.out.printf("intake bench: %d batches of %d, 4 clients, %.0f receipts/s, batch p50 %d ms, max %d ms%n",
                batches, batch, batches * batch / seconds, millis[batches / 2], millis[batches - 1]);
    }

    private int post(HttpClient http, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/receipts"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(String source, String no, String store, long phone) {
        return """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"2026-11-11T10:00:00+08:00",
                 "channel":"store","paymentMethod":"wechat_pay",%s
                 "lines":[{"sku":"SKU-%d","quantity":1,"unitPrice":"199.00"},
                          {"sku":"SKU-%d","quantity":2,"unitPrice":"35.50","discount":"5.00","couponCode":"C11"}]}"""
                .formatted(source, no, store, ANONYMOUS ? "" : "\"customer\":{\"phone\":\"" + phone + "\"},",
                        phone % 50, phone % 7);
    }
}
