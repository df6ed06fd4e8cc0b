package app.regulars.demo;

import app.regulars.access.ApiKeys;
import app.regulars.catalog.ProductDraft;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code ./regulars bench intake}: how fast receipts come in and customers come out, on this
 * machine, through the real stack. Three measurements, written to {@code target/bench/intake.json}:
 * <ol>
 *   <li>bulk intake — the generator's load (customer registration and 1,000-receipt batches);</li>
 *   <li>the receipt API — one POS posting single receipts, then batches of 100, over HTTP with a key;</li>
 *   <li>customer 360 — profile, stats and timeline of random customers over HTTP, as the console asks.</li>
 * </ol>
 * Started by {@code bench/run} with the web server on a free port and a fresh data folder.
 */
@Component
@ConditionalOnProperty(name = "regulars.command", havingValue = "bench-intake")
class IntakeBench implements ApplicationRunner {

    static final String SOURCE = "bench";

    private final Generation generation;
    private final JdbcBaseline baseline;
    private final Customers customers;
    private final ApiKeys keys;
    private final Environment environment;
    private final ObjectMapper json;
    private final Clock clock;
    private final ConfigurableApplicationContext context;
    private final PrintStream out = System.out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    IntakeBench(Generation generation, JdbcBaseline baseline, Customers customers, ApiKeys keys, Environment environment, ObjectMapper json,
                Clock clock, ConfigurableApplicationContext context) {
        this.generation = generation;
        this.baseline = baseline;
        this.customers = customers;
        this.keys = keys;
        this.environment = environment;
        this.json = json;
        this.clock = clock;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        int code;
        try {
            GenerateArguments sizes = sizes(GenerateCommand.commandArguments(args.getSourceArgs()));
            Path report = Path.of("target", "bench", "intake.json");
            Files.createDirectories(report.getParent());
            Map<String, Object> results = measure(sizes);
            Files.writeString(report, json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
            out.println("Written to " + report.toAbsolutePath());
            code = 0;
        } catch (IllegalArgumentException e) {
            System.err.println("regulars bench intake: " + e.getMessage());
            code = 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("regulars bench intake: failed: " + e);
            code = 1;
        }
        int exit = code;
        System.exit(SpringApplication.exit(context, () -> exit));
    }

    private static GenerateArguments sizes(List<String> args) {
        List<String> withDefaults = new ArrayList<>(List.of("--customers", "5000", "--purchases", "50000"));
        withDefaults.addAll(args); // later values win
        return GenerateArguments.parse(withDefaults);
    }

    private Map<String, Object> measure(GenerateArguments sizes) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("measuredAt", OffsetDateTime.now(clock).toString());
        results.put("sizes", ordered("customers", sizes.customers(), "purchases", sizes.purchases(), "seed", sizes.seed()));
        results.put("machine", ordered("cores", Runtime.getRuntime().availableProcessors(),
                "java", Runtime.version().toString(), "maxHeapMb", Runtime.getRuntime().maxMemory() >> 20,
                "loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));

        out.printf(Locale.ROOT, "1/3 bulk intake: %,d customers, %,d purchases…%n", sizes.customers(), sizes.purchases());
        long seed = sizes.seed();
        Generation.Progress bulk = generation.run(seed, sizes.customers(), sizes.purchases(), GenerateCommand.WRITERS,
                p -> {});
        double seconds = bulk.elapsed().toMillis() / 1000.0;
        results.put("bulk", ordered("customers", bulk.customers(), "receipts", bulk.receiptsSent(),
                "created", bulk.created(), "lines", bulk.lines(), "seconds", seconds,
                "receiptsPerSecond", round(bulk.receiptsPerSecond()), "linesPerSecond", round(bulk.linesPerSecond()),
                "customersPerSecond", round(bulk.customers() / Math.max(0.001, seconds)),
                "writerSecondsRegisteringCustomers", round(bulk.registering().toMillis() / 1000.0),
                "writerSecondsInReceiptIntake", round(bulk.intake().toMillis() / 1000.0),
                "writers", GenerateCommand.WRITERS));
        out.printf(Locale.ROOT, "    %,.0f receipts/s, %,.0f lines/s%n", bulk.receiptsPerSecond(), bulk.linesPerSecond());
        JdbcBaseline.BulkResult floor = baseline.bulk(new DemoGenerator(seed, sizes.customers(), sizes.purchases(),
                java.time.LocalDate.now(clock.withZone(DemoGenerator.ZONE))));
        results.put("bulkJdbcBaseline", ordered("receipts", floor.receipts(), "lines", floor.lines(),
                "seconds", round(floor.seconds()), "receiptsPerSecond", round(floor.receiptsPerSecond()),
                "intakeShareOfBaselineSpeed", round(100 * bulk.receiptsPerSecond() / floor.receiptsPerSecond()) + "%"));
        out.printf(Locale.ROOT, "    plain JDBC baseline: %,.0f receipts/s%n", floor.receiptsPerSecond());

        DemoCatalog chain = DemoCatalog.plan(seed);
        String key = keys.issue("bench " + clock.instant(), Set.of());
        String base = "http://localhost:" + environment.getProperty("local.server.port");
        String run = Long.toString(clock.millis(), 36).toUpperCase(Locale.ROOT);
        SplittableRandom random = new SplittableRandom(seed);

        out.println("2/3 receipt API…");
        int single = 300;
        long[] singleNanos = new long[single];
        long started = System.nanoTime();
        for (int i = 0; i < single; i++) {
            String body = json.writeValueAsString(receipt(run + "-S" + i, chain, sizes, seed, random));
            long t0 = System.nanoTime();
            expect(post(base + "/api/v1/receipts", key, body), 201);
            singleNanos[i] = System.nanoTime() - t0;
        }
        double singleSeconds = (System.nanoTime() - started) / 1e9;
        int batches = 20;
        int perBatch = 100;
        long[] batchNanos = new long[batches];
        started = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            List<Object> receipts = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                receipts.add(receipt(run + "-B" + b + "-" + i, chain, sizes, seed, random));
            }
            String body = json.writeValueAsString(Map.of("receipts", receipts));
            long t0 = System.nanoTime();
            expect(post(base + "/api/v1/receipts", key, body), 201);
            batchNanos[b] = System.nanoTime() - t0;
        }
        double batchSeconds = (System.nanoTime() - started) / 1e9;
        results.put("receiptApi", ordered(
                "single", latency(singleNanos, single / singleSeconds),
                "batchOf100", latency(batchNanos, batches * perBatch / batchSeconds)));
        out.printf(Locale.ROOT, "    single: %,.0f receipts/s; batches of 100: %,.0f receipts/s%n", single / singleSeconds,
                batches * perBatch / batchSeconds);

        out.println("3/3 customer 360…");
        int lookups = 200;
        List<Long> ids = new ArrayList<>();
        Map<String, long[]> byEndpoint = new LinkedHashMap<>();
        for (String endpoint : List.of("", "/stats", "/timeline")) {
            byEndpoint.put(endpoint, new long[lookups]);
        }
        for (int i = 0; i < lookups; i++) {
            String phone = ChineseNames.phone(seed, random.nextInt(sizes.customers()));
            long id = customers.find(Identity.ofPhone(phone)).orElseThrow();
            ids.add(id);
            for (var e : byEndpoint.entrySet()) {
                long t0 = System.nanoTime();
                expect(get(base + "/api/v1/customers/" + id + e.getKey(), key), 200);
                e.getValue()[i] = System.nanoTime() - t0;
            }
        }
        Map<String, Object> c360 = new LinkedHashMap<>();
        byEndpoint.forEach((endpoint, nanos) -> c360.put("GET /api/v1/customers/{id}" + endpoint, latency(nanos, 0)));
        c360.put("plain SQL baseline (customer row + latest 20 receipts with lines)", latency(baseline.lookups(ids), 0));
        results.put("customer360", c360);
        out.printf(Locale.ROOT, "    profile p50 %.1f ms, stats p50 %.1f ms, timeline p50 %.1f ms%n",
                percentile(byEndpoint.get(""), 50), percentile(byEndpoint.get("/stats"), 50),
                percentile(byEndpoint.get("/timeline"), 50));
        return results;
    }

    /** A receipt of an existing generated customer, as a POS would post it (money in yuan). */
    private static Map<String, Object> receipt(String number, DemoCatalog chain, GenerateArguments sizes, long seed,
                                               SplittableRandom random) {
        ProductDraft sku = chain.products().get(random.nextInt(chain.products().size()));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", sku.skuCode());
        line.put("quantity", 1 + random.nextInt(2));
        line.put("unitPrice", java.math.BigDecimal.valueOf(sku.priceCents(), 2));
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("source", SOURCE);
        receipt.put("receiptNo", number);
        receipt.put("customer", Map.of("phone", ChineseNames.phone(seed, random.nextInt(sizes.customers()))));
        receipt.put("storeCode", chain.stores().get(random.nextInt(chain.stores().size())).code());
        receipt.put("purchasedAt", OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(5).toString());
        receipt.put("channel", "store");
        receipt.put("paymentMethod", "wechat_pay");
        receipt.put("lines", List.of(line));
        return receipt;
    }

    private HttpResponse<String> post(String url, String key, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> get(String url, String key) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Accept", "application/json").GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
                    + " answered " + response.statusCode() + " (expected " + status + ")");
        }
    }

    private static Map<String, Object> latency(long[] nanos, double perSecond) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", nanos.length);
        m.put("p50Ms", round(percentile(nanos, 50)));
        m.put("p95Ms", round(percentile(nanos, 95)));
        m.put("p99Ms", round(percentile(nanos, 99)));
        m.put("maxMs", round(Arrays.stream(nanos).max().orElse(0) / 1e6));
        if (perSecond > 0) {
            m.put("receiptsPerSecond", round(perSecond));
        }
        return m;
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** Keys in the order given, so the report reads the same every run. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
