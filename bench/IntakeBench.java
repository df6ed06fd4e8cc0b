import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The load generator of {@code ./regulars bench intake}: a separate JVM that drives a running Regulars
 * over HTTP (bulk import, receipt API, customer 360 lookups) and, for each, a baseline straight on the
 * same PostgreSQL over JDBC (COPY into the same tables; single-transaction inserts; one SQL lookup).
 * Each figure is the median of {@code --runs} runs with min and max. Before timing, a first run of
 * each checks that Regulars and the baseline wrote (or answered) the same thing, then {@code --warm-up}
 * untimed runs (2) of receipts and of lookups on each side let the JIT compile the paths; each phase
 * starts once the feed consumers have caught up with the one before.
 *
 * <p>Receipts and lookups are measured at each of {@code --concurrency} (a list, {@code 32,16,8} by default: calls in
 * flight); the first level's figures keep the top-level keys, every level is under {@code by_concurrency}.
 * Timed calls go through {@link RawConnection} (one kept-alive HTTP/1.1 socket per caller) unless
 * {@code --client jdk}: the JDK HttpClient cost about as much CPU per call as the server on these 2 cores.
 * The CPU the server process and this generator used per call is reported with each level.
 */
public class IntakeBench {

    static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final String STORE = "BENCH-01";
    static final int PHONES = 20_000;
    static final int SKUS = 500;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final String url;
    final String key;
    final String jdbc;
    final int runs;
    final int lines;
    final int receipts;
    final int lookups;
    /** Untimed runs of receipts and of lookups before the timed ones, so the JIT has compiled the paths. */
    final int warmUps;
    /** The levels of calls in flight to measure; the first is the headline one. */
    final int[] levels;
    /** The level being measured. */
    int concurrency;
    /** Timed HTTP calls through {@link RawConnection} (raw) or the JDK HttpClient (jdk). */
    final boolean rawClient;
    /** The server's process, for its CPU time per call; null when not given. */
    final ProcessHandle server;
    /** The server's PostgreSQL postmaster: its CPU and its backends' per import line; null when not given. */
    final ProcessHandle postgres;
    /** The phases to run: import, receipts, lookups (all by default). */
    final java.util.Set<String> only;
    /** A perf record control fifo (BENCH_PERF=1): sampling is enabled only while our timed imports run. */
    final Path perfControl;
    int sourceSeq;

    IntakeBench(Map<String, String> args) {
        url = args.get("url");
        key = args.get("key");
        jdbc = args.get("jdbc");
        runs = Integer.parseInt(args.getOrDefault("runs", "5"));
        lines = Integer.parseInt(args.getOrDefault("lines", "200000"));
        receipts = Integer.parseInt(args.getOrDefault("receipts", "10000"));
        lookups = Integer.parseInt(args.getOrDefault("lookups", "20000"));
        levels = Arrays.stream(args.getOrDefault("concurrency", "32,16,8").split(",")).mapToInt(Integer::parseInt).toArray();
        concurrency = levels[0];
        rawClient = !"jdk".equals(args.getOrDefault("client", "raw"));
        server = args.containsKey("server-pid") ? ProcessHandle.of(Long.parseLong(args.get("server-pid"))).orElse(null) : null;
        postgres = args.containsKey("postgres-pid") ? ProcessHandle.of(Long.parseLong(args.get("postgres-pid"))).orElse(null) : null;
        only = java.util.Set.of(args.getOrDefault("only", "import,receipts,lookups,segments").split(","));
        perfControl = args.containsKey("perf-control") ? Path.of(args.get("perf-control")) : null;
        // Without the import before them, two warm-up runs left the JIT compiling through the timed ones
        // (the C2 thread at a third of the server's CPU; BENCHMARKS.md, 2026-11-30 morning).
        // 8 with the import too: after 2, receipts at 32 in flight still rose run after run (1,142 → 2,398/s on
        // 2026-11-30, afternoon), the receipt path not yet compiled; after 8 the runs were 2,186–2,492 but one.
        warmUps = Integer.parseInt(args.getOrDefault("warm-up", "8"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        IntakeBench bench = new IntakeBench(args);
        String json = bench.run();
        Path out = Path.of(args.getOrDefault("out", "target/bench/intake.json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    String run() throws Exception {
        post("/api/v1/stores", """
                {"code":"%s","name":"Bench store","region":"华东","city":"上海","timezone":"Asia/Shanghai"}"""
                .formatted(STORE), 200, 201);

        Map<Integer, Side> ours = new java.util.LinkedHashMap<>();
        Map<Integer, Side> base = new java.util.LinkedHashMap<>();
        for (int level : levels) {
            ours.put(level, new Side());
            base.put(level, new Side());
        }
        Side oursFirst = ours.get(levels[0]);
        Side baseFirst = base.get(levels[0]);
        if (only.contains("import")) {
            log("import: %,d lines per run".formatted(lines));
            byte[] csv = receiptCsv(lines);
            checkImportMatchesBaseline(csv);
            // Untimed imports after the check's (the only one with every customer new): without them the
            // first timed import ran at about two thirds of the next ones (2026-12-01: 30,669 against
            // 46,941–56,759 lines/s), the paths of known customers not yet compiled, as with receipts.
            int importWarmUps = Math.min(warmUps, 2);
            for (int w = 0; w < importWarmUps; w++) {
                awaitConsumersCaughtUp("import warm-up %d".formatted(w + 1));
                importOverHttp(csv, nextSource("warmimp"));
                importByCopy(csv, nextSource("warmcopy"));
            }
            log("import: %d untimed warm-up run(s) of each side done".formatted(importWarmUps));
            for (int r = 0; r < runs; r++) {
                // Each side starts on a server that has digested the import before (its consumers write
                // to the same PostgreSQL), so neither pays for the other's backlog.
                awaitConsumersCaughtUp("import run %d".formatted(r + 1));
                timeImport(oursFirst, () -> {
                    perf("enable");
                    try {
                        return importOverHttp(csv, nextSource("imp"));
                    } finally {
                        perf("disable");
                    }
                });
                timeImport(baseFirst, () -> importByCopy(csv, nextSource("copy")));
                log(("import run %d: regulars %.0f lines/s (CPU per 1,000 lines: server %.0f ms, PostgreSQL %.0f ms; "
                        + "until digested %.0f and %.0f ms), COPY %.0f lines/s (PostgreSQL %.0f ms)").formatted(r + 1,
                        oursFirst.importRate.last(), oursFirst.importServerCpu.lastOrNaN(),
                        oursFirst.importPostgresCpu.lastOrNaN(), oursFirst.importServerCpuDigested.lastOrNaN(),
                        oursFirst.importPostgresCpuDigested.lastOrNaN(), baseFirst.importRate.last(),
                        baseFirst.importPostgresCpu.lastOrNaN()));
            }
        } else {
            seedCustomers();
        }

        if (only.contains("receipts")) {
            awaitConsumersCaughtUp("receipts");
            checkReceiptsMatchBaseline();
            concurrency = levels[0];
            for (int w = 0; w < warmUps; w++) {
                postReceipts(nextSource("warm"), receipts);
                insertReceipts(nextSource("warmjdbc"), receipts);
            }
            log("receipts: %d untimed warm-up run(s) of each side done".formatted(warmUps));
            for (int level : levels) {
                concurrency = level;
                log("receipts: %,d per run, %d concurrent".formatted(receipts, concurrency));
                for (int r = 0; r < runs; r++) {
                    Side o = ours.get(level).addReceipts(postReceipts(nextSource("api"), receipts));
                    Side b = base.get(level).addReceipts(insertReceipts(nextSource("jdbc"), receipts));
                    log(("receipts run %d at %d: regulars %.0f/s p50 %.1f p99 %.1f ms (CPU per call: server %.2f ms, "
                            + "generator %.2f ms), JDBC %.0f/s p99 %.1f ms").formatted(r + 1, level, o.receiptRate.last(),
                            o.receiptP50.last(), o.receiptP99.last(), o.receiptServerCpu.lastOrNaN(),
                            o.receiptClientCpu.last(), b.receiptRate.last(), b.receiptP99.last()));
                }
            }
        }

        if (only.contains("lookups")) {
            awaitConsumersCaughtUp("lookups");
            long[] customers = customerIds();
            log("lookups: %,d per run over %,d customers".formatted(lookups, customers.length));
            checkLookupsMatchBaseline(customers);
            concurrency = levels[0];
            for (int w = 0; w < warmUps; w++) {
                lookupOverHttp(customers, lookups, 1000 + w); // other customers in another order than the timed runs
                lookupBySql(customers, lookups, 1000 + w);
            }
            log("lookups: %d untimed warm-up run(s) of each side done".formatted(warmUps));
            for (int level : levels) {
                concurrency = level;
                for (int r = 0; r < runs; r++) {
                    Side o = ours.get(level).addLookups(lookupOverHttp(customers, lookups, r));
                    Side b = base.get(level).addLookups(lookupBySql(customers, lookups, r));
                    log(("lookup run %d at %d: regulars %.0f/s p50 %.2f p99 %.2f ms (CPU per call: server %.2f ms, "
                            + "generator %.2f ms), SQL %.0f/s p99 %.2f ms").formatted(r + 1, level, o.lookupRate.last(),
                            o.lookupP50.last(), o.lookupP99.last(), o.lookupServerCpu.lastOrNaN(), o.lookupClientCpu.last(),
                            b.lookupRate.last(), b.lookupP99.last()));
                }
            }
        }

        String entered = null;
        if (only.contains("segments")) {
            awaitConsumersCaughtUp("segments");
            Figures p50 = new Figures();
            Figures p99 = new Figures();
            for (int r = 0; r < runs; r++) {
                double[] run = segmentEntered(100);
                p50.add(run[0]);
                p99.add(run[1]);
            }
            entered = "{\"samples_per_run\": 100, \"p50\": " + p50.spread() + ", \"p99\": " + p99.spread() + "}";
        }

        StringBuilder byLevel = new StringBuilder();
        for (int level : levels) {
            byLevel.append(byLevel.isEmpty() ? "" : ",\n").append("    \"").append(level).append("\": {\n")
                    .append(ours.get(level).json("      ")).append(",\n      \"baseline\": {\n")
                    .append(base.get(level).json("        ")).append("\n      }\n    }");
        }
        String targets = targets(oursFirst, ours);
        log("targets: " + targets.replaceAll("\\s+", " "));
        return """
                {
                  "runs": %d, "lines_per_import": %d, "receipts_per_run": %d, "lookups_per_run": %d, "concurrency": %d,
                  "client": "%s",%s
                  "targets": %s,
                %s,
                  "baseline": {
                    "what": "import: JDBC COPY into receipt/receipt_line; receipts: one JDBC transaction per receipt; lookup: one SQL select by id",
                %s
                  },
                  "by_concurrency": {
                %s
                  }
                }
                """.formatted(runs, lines, receipts, lookups, levels[0], rawClient ? "raw" : "jdk",
                (entered == null ? "" : "\n  \"segment_entered_ms\": " + entered + ",")
                        + (Double.isNaN(firstImportLinesPerSecond) ? ""
                                : "\n  \"first_import_lines_per_s\": %.0f,".formatted(firstImportLinesPerSecond)),
                targets, oursFirst.json("  "), baseFirst.json("    "), byLevel);
    }

    /**
     * The issue's targets judged on medians. A rate with its p99 is one target, so it is met at a level of
     * calls in flight only where both medians hold at that level: a closed loop trades one for the other
     * (Little's law), and a level that reaches the rate by queueing past the p99 does not count.
     */
    private String targets(Side first, Map<Integer, Side> byLevel) {
        List<Integer> receiptsMet = new ArrayList<>();
        List<Integer> lookupsMet = new ArrayList<>();
        byLevel.forEach((level, side) -> {
            if (side.receiptRate.medianOr(0) >= 2000 && side.receiptP99.medianOr(Double.MAX_VALUE) <= 50) {
                receiptsMet.add(level);
            }
            if (side.lookupRate.medianOr(0) >= 3000 && side.lookupP99.medianOr(Double.MAX_VALUE) <= 10) {
                lookupsMet.add(level);
            }
        });
        String importMet = first.importRate.values.isEmpty() ? "null"
                : String.valueOf(first.importRate.medianOr(0) >= 50_000);
        return """
                {"import": {"target": ">= 50000 lines/s", "met": %s},
                    "receipts": {"target": ">= 2000/s with p99 <= 50 ms", "met_at_concurrency": %s},
                    "lookups": {"target": ">= 3000/s with p99 <= 10 ms", "met_at_concurrency": %s}}"""
                .formatted(importMet, first.receiptRate.values.isEmpty() ? "null" : receiptsMet,
                        first.lookupRate.values.isEmpty() ? "null" : lookupsMet);
    }

    /** The figures of one side (Regulars, or the baseline) over the runs. */
    static final class Side {
        final Figures importRate = new Figures();
        final Figures importServerCpu = new Figures();
        final Figures importPostgresCpu = new Figures();
        final Figures importServerCpuDigested = new Figures();
        final Figures importPostgresCpuDigested = new Figures();
        final Figures receiptRate = new Figures();
        final Figures receiptP50 = new Figures();
        final Figures receiptP99 = new Figures();
        final Figures lookupRate = new Figures();
        final Figures lookupP50 = new Figures();
        final Figures lookupP99 = new Figures();
        final Figures receiptServerCpu = new Figures();
        final Figures receiptClientCpu = new Figures();
        final Figures lookupServerCpu = new Figures();
        final Figures lookupClientCpu = new Figures();

        Side addReceipts(Load load) {
            receiptRate.add(load.perSecond());
            receiptP50.add(load.percentileMs(50));
            receiptP99.add(load.percentileMs(99));
            load.serverCpuMsPerCall().ifPresent(receiptServerCpu::add);
            receiptClientCpu.add(load.clientCpuMsPerCall());
            return this;
        }

        Side addLookups(Load load) {
            lookupRate.add(load.perSecond());
            lookupP50.add(load.percentileMs(50));
            lookupP99.add(load.percentileMs(99));
            load.serverCpuMsPerCall().ifPresent(lookupServerCpu::add);
            lookupClientCpu.add(load.clientCpuMsPerCall());
            return this;
        }

        /** The medians under the keys the issue names, and each figure's median, min and max under "spread". */
        String json(String indent) {
            Map<String, Figures> named = new java.util.LinkedHashMap<>();
            named.put("import_lines_per_s", importRate);
            named.put("server_cpu_ms_per_1000_lines", importServerCpu);
            named.put("postgres_cpu_ms_per_1000_lines", importPostgresCpu);
            named.put("server_cpu_ms_per_1000_lines_digested", importServerCpuDigested);
            named.put("postgres_cpu_ms_per_1000_lines_digested", importPostgresCpuDigested);
            named.put("receipts_per_s", receiptRate);
            named.put("receipts_p50_ms", receiptP50);
            named.put("receipts_p99_ms", receiptP99);
            named.put("lookups_per_s", lookupRate);
            named.put("lookup_p99_ms", lookupP99);
            named.put("lookup_p50_ms", lookupP50);
            named.put("server_cpu_ms_per_receipt", receiptServerCpu);
            named.put("generator_cpu_ms_per_receipt", receiptClientCpu);
            named.put("server_cpu_ms_per_lookup", lookupServerCpu);
            named.put("generator_cpu_ms_per_lookup", lookupClientCpu);
            StringBuilder out = new StringBuilder();
            named.forEach((key, f) -> out.append(indent).append('"').append(key).append("\": ").append(f.median()).append(",\n"));
            out.append(indent).append("\"spread\": {");
            String sep = "";
            for (var e : named.entrySet()) {
                out.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue().spread());
                sep = ", ";
            }
            return out.append('}').toString();
        }
    }

    // ---- the data ---------------------------------------------------------------------------

    static String phone(int i) {
        return "139" + String.format(Locale.ROOT, "%08d", 10_000_000 + i).substring(0, 8);
    }

    static String sku(int i) {
        return "BENCH-SKU-" + String.format(Locale.ROOT, "%04d", i);
    }

    /** One bench receipt line: receipt i, its line j. Prices in cents so both paths total the same. */
    record Line(int receipt, int line, int phone, int sku, int quantity, long unitPriceCents, LocalDateTime at) {}

    static List<Line> receiptLines(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Line> out = new ArrayList<>(count);
        LocalDateTime start = LocalDateTime.of(2026, 1, 1, 9, 0);
        int receipt = 0;
        while (out.size() < count) {
            int linesOnReceipt = 1 + random.nextInt(7);
            int phone = random.nextInt(PHONES);
            LocalDateTime at = start.plusMinutes(random.nextInt(300 * 24 * 60));
            for (int j = 0; j < linesOnReceipt && out.size() < count; j++) {
                out.add(new Line(receipt, j, phone, random.nextInt(SKUS), 1 + random.nextInt(3),
                        990 + 100L * random.nextInt(200), at));
            }
            receipt++;
        }
        return out;
    }

    /** The import file, with the Chinese headers a store's Excel export has. */
    byte[] receiptCsv(int count) {
        StringBuilder csv = new StringBuilder("小票号,门店,消费时间,手机号,商品编码,数量,单价\n");
        for (Line l : receiptLines(count, 7)) {
            csv.append("R").append(l.receipt()).append(',').append(STORE).append(',').append(CSV_TIME.format(l.at()))
                    .append(',').append(phone(l.phone())).append(',').append(sku(l.sku())).append(',')
                    .append(l.quantity()).append(',').append(l.unitPriceCents() / 100).append('.')
                    .append(String.format(Locale.ROOT, "%02d", l.unitPriceCents() % 100)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    String nextSource(String kind) {
        return "bench-" + kind + "-" + ProcessHandle.current().pid() + "-" + (++sourceSeq);
    }

    /**
     * Without the import phase, the customers and SKUs the later phases use come from receipts posted
     * in batches of 1,000: one receipt per bench phone (in phone order, so customer ids follow it) and
     * every bench SKU sold at least once.
     */
    void seedCustomers() throws Exception {
        log("seed: %,d customers and %d SKUs by batched receipts".formatted(PHONES, SKUS));
        String source = nextSource("seed");
        for (int from = 0; from < PHONES; from += 1_000) {
            StringBuilder batch = new StringBuilder("{\"receipts\":[");
            for (int i = from; i < Math.min(PHONES, from + 1_000); i++) {
                if (i > from) {
                    batch.append(',');
                }
                batch.append("""
                        {"source":"%s","receiptNo":"S%d","storeCode":"%s","purchasedAt":"2026-01-02T10:00:00+08:00",
                         "customer":{"phone":"%s"},"lines":[{"sku":"%s","quantity":1,"unitPrice":"9.90"}]}"""
                        .formatted(source, i, STORE, phone(i), sku(i % SKUS)));
            }
            post("/api/v1/receipts", batch.append("]}").toString(), 200, 201);
        }
    }

    // ---- bulk import ------------------------------------------------------------------------

    long importOverHttp(byte[] csv, String source) throws Exception {
        String boundary = "bench" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "type", "receipts");
        field(body, boundary, "source", source);
        field(body, boundary, "store", STORE);
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + source
                + ".csv\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(csv);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        long started = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/imports"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        expect(created, 200, 201, 202);
        String id = jsonValue(created.body(), "id");
        while (true) {
            HttpResponse<String> status = get("/api/v1/imports/" + id);
            String state = jsonValue(status.body(), "status");
            if ("done".equals(state)) {
                long took = System.nanoTime() - started;
                log("import %s: %.1f s, of which checking the file (pass 1) %s s".formatted(source, seconds(took),
                        jsonValue(status.body(), "validationSeconds")));
                return took;
            }
            if (!"queued".equals(state) && !"validating".equals(state) && !"applying".equals(state)) {
                throw new IllegalStateException("import " + id + " ended " + state + ": " + status.body());
            }
            Thread.sleep(20);
        }
    }

    /** Tells perf record (started by bench/run with BENCH_PERF=1) to sample or to stop sampling. */
    void perf(String command) throws IOException {
        if (perfControl != null) {
            Files.writeString(perfControl, command + "\n");
        }
    }

    interface TimedImport {
        long nanos() throws Exception;
    }

    /**
     * One import, its rate and the CPU the server and its PostgreSQL spent on it: while the job ran,
     * and until the feed consumers had digested it too (loyalty, stats, coupons and the segments work
     * on after the job ends, up to a third of an import's cost).
     */
    void timeImport(Side side, TimedImport run) throws Exception {
        long server0 = Cpu.serverCpu(server);
        long postgres0 = postgresCpu();
        long nanos = run.nanos();
        long server1 = Cpu.serverCpu(server);
        long postgres1 = postgresCpu();
        awaitConsumersCaughtUp("digesting the import");
        long server2 = Cpu.serverCpu(server);
        long postgres2 = postgresCpu();
        side.importRate.add(lines / seconds(nanos));
        double thousands = lines / 1000.0;
        if (server0 >= 0) {
            side.importServerCpu.add((server1 - server0) / 1e6 / thousands);
            side.importServerCpuDigested.add((server2 - server0) / 1e6 / thousands);
        }
        if (postgres0 >= 0) {
            side.importPostgresCpu.add((postgres1 - postgres0) / 1e6 / thousands);
            side.importPostgresCpuDigested.add((postgres2 - postgres0) / 1e6 / thousands);
        }
    }

    /**
     * The CPU of the postmaster and its children, the ones that exited included: a backend's CPU moves to
     * the postmaster's reaped-children times when it ends (the COPY baseline's and the bench's own
     * connections close within a figure), so the live processes alone would lose it. From
     * {@code /proc/PID/stat} (utime, stime, cutime, cstime, in 100 Hz ticks as on every x86 Linux).
     */
    long postgresCpu() {
        if (postgres == null) {
            return -1;
        }
        long children = postgres.descendants().mapToLong(IntakeBench::cpuWithReapedChildren).sum();
        return children + cpuWithReapedChildren(postgres); // the postmaster last: what it reaped meanwhile is in it
    }

    static long cpuWithReapedChildren(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after[0] is field 3, the state
            long ticks = 0;
            for (int field = 14; field <= 17; field++) {
                ticks += Long.parseLong(after[field - 3]);
            }
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException gone) {
            return 0; // it ended between the listing and the read; its parent has it now
        }
    }

    static void field(ByteArrayOutputStream body, String boundary, String name, String value) throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The baseline: the same lines COPYed straight into receipt and receipt_line, with customers and
     * SKUs already resolved to ids (what the import must work out for itself) and ids reserved up front.
     */
    long importByCopy(byte[] csvIgnored, String source) throws Exception {
        List<Line> all = receiptLines(lines, 7);
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            long[] customers = customersByPhoneOrder(c);
            Map<Integer, SkuRow> skus = skuIds(c);
            long store = one(c, "select id from store where code = '" + STORE + "'");
            long started = System.nanoTime();
            c.setAutoCommit(false);
            int receiptCount = all.getLast().receipt() + 1;
            long firstId = one(c, "select nextval('receipt_id_seq')");
            c.createStatement().execute("select setval('receipt_id_seq', " + (firstId + receiptCount) + ")");
            StringBuilder receiptRows = new StringBuilder();
            StringBuilder lineRows = new StringBuilder();
            long[] totals = new long[receiptCount];
            for (Line l : all) {
                long amount = l.quantity() * l.unitPriceCents();
                totals[l.receipt()] += amount;
                SkuRow sku = skus.get(l.sku());
                lineRows.append(firstId + l.receipt()).append('\t').append(customers[l.phone() % customers.length])
                        .append('\t').append(l.line() + 1).append('\t').append(sku.id()).append('\t')
                        .append(sku.code()).append('\t')
                        .append(sku.category() == null ? "\\N" : sku.category()).append('\t').append(l.quantity()).append('\t')
                        .append(l.unitPriceCents()).append("\t0\t").append(amount).append('\n');
            }
            Line previous = null;
            for (Line l : all) {
                if (previous != null && previous.receipt() == l.receipt()) {
                    continue;
                }
                previous = l;
                receiptRows.append(firstId + l.receipt()).append('\t').append(source).append("\tR").append(l.receipt())
                        .append("\tsale\t").append(customers[l.phone() % customers.length]).append('\t').append(store)
                        .append('\t').append(l.at().atOffset(ZoneOffset.ofHours(8))).append("\tstore\t")
                        .append(totals[l.receipt()]).append("\t0\n");
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("copy receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel, "
                    + "total_cents, discount_cents) from stdin", new java.io.StringReader(receiptRows.toString()));
            copy.copyIn("copy receipt_line (receipt_id, customer_id, line_no, sku_id, sku_code, category_code, quantity, "
                    + "unit_price_cents, discount_cents, amount_cents) from stdin",
                    new java.io.StringReader(lineRows.toString()));
            c.commit();
            return System.nanoTime() - started;
        }
    }

    /**
     * The check's import is the only one where every customer is new (the timed ones find them all
     * known), as in a chain's first import of its history: timed once, and reported on its own.
     */
    void checkImportMatchesBaseline(byte[] csv) throws Exception {
        checkBothWroteTheSame("import", "COPY baseline", source -> {
            long started = System.nanoTime();
            importOverHttp(csv, source);
            firstImportLinesPerSecond = lines / ((System.nanoTime() - started) / 1e9);
            log("import check: the first import (%,d new customers) took %.1f s, %.0f lines/s"
                    .formatted(PHONES, lines / firstImportLinesPerSecond, firstImportLinesPerSecond));
        }, source -> importByCopy(csv, source));
    }

    /** Lines per second of the first import, every customer new; NaN when the import phase did not run. */
    double firstImportLinesPerSecond = Double.NaN;

    interface Writing {
        void write(String source) throws Exception;
    }

    /** Before timing: Regulars and the baseline, given the same input, must store the same receipts. */
    void checkBothWroteTheSame(String what, String baseline, Writing ours, Writing theirs) throws Exception {
        String oursSource = nextSource("check-ours");
        ours.write(oursSource);
        String baseSource = nextSource("check-base");
        theirs.write(baseSource);
        String a = receiptTotals(oursSource);
        String b = receiptTotals(baseSource);
        if (!a.equals(b)) {
            throw new IllegalStateException(what + " and " + baseline + " differ: " + a + " vs " + b);
        }
        log(what + " check: both wrote " + a);
    }

    String receiptTotals(String source) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
             ResultSet rs = c.createStatement().executeQuery("""
                     select count(distinct r.id), count(*), sum(l.amount_cents), sum(l.quantity)
                     from receipt r join receipt_line l on l.receipt_id = r.id where r.source = '%s'""".formatted(source))) {
            rs.next();
            return "receipts=" + rs.getLong(1) + " lines=" + rs.getLong(2) + " amount=" + rs.getLong(3)
                    + " quantity=" + rs.getLong(4);
        }
    }

    // ---- receipt API ------------------------------------------------------------------------

    String receiptJson(String source, int i, SplittableRandom random) {
        StringBuilder lineJson = new StringBuilder();
        int count = 1 + random.nextInt(4);
        for (int j = 0; j < count; j++) {
            if (j > 0) {
                lineJson.append(',');
            }
            long cents = 990 + 100L * random.nextInt(200);
            lineJson.append("{\"sku\":\"").append(sku(random.nextInt(SKUS))).append("\",\"quantity\":")
                    .append(1 + random.nextInt(3)).append(",\"unitPrice\":\"").append(cents / 100).append('.')
                    .append(String.format(Locale.ROOT, "%02d", cents % 100)).append("\"}");
        }
        return """
                {"source":"%s","receiptNo":"R%d","storeCode":"%s","purchasedAt":"%s",
                 "customer":{"phone":"%s"},"lines":[%s]}""".formatted(source, i, STORE, tillTime(), phone(random.nextInt(PHONES)),
                lineJson);
    }

    /**
     * Now, as a till stamps a receipt. WHY NOT A FIXED DATE: receipts older than a day are history being
     * imported, which the intake holds more strongly to move customers' joining back; a till's are not.
     */
    static String tillTime() {
        return java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(8))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    Load postReceipts(String source, int count) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(receiptJson(source, i, random));
        }
        if (rawClient) {
            List<byte[]> raw = bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList();
            return loadRaw(count, (c, i) -> c.send("POST", "/api/v1/receipts", key, raw.get(i)).expect(200, 201));
        }
        return load(count, i -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/receipts"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build());
            expect(r, 200, 201);
            return null;
        });
    }

    /** The baseline: each receipt and its lines in one JDBC transaction, customers and SKUs resolved up front. */
    Load insertReceipts(String source, int count) throws Exception {
        long[] customers;
        Map<Integer, SkuRow> skus;
        long store;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            customers = customersByPhoneOrder(c);
            skus = skuIds(c);
            store = one(c, "select id from store where code = '" + STORE + "'");
        }
        SplittableRandom random = new SplittableRandom(11);
        List<Plan> plans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = 1 + random.nextInt(4);
            int[] s = new int[n], q = new int[n];
            long[] p = new long[n];
            for (int j = 0; j < n; j++) {
                p[j] = 990 + 100L * random.nextInt(200);
                s[j] = random.nextInt(SKUS);
                q[j] = 1 + random.nextInt(3);
            }
            plans.add(new Plan(random.nextInt(PHONES), s, q, p));
        }
        int pool = Math.min(concurrency, 16);
        List<Connection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<Connection> connections = ThreadLocal.withInitial(() -> {
            try {
                Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                c.setAutoCommit(false);
                opened.add(c);
                return c;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return insertEach(count, pool, connections, plans, customers, skus, store, source);
        } finally {
            closeAll(opened);
        }
    }

    /** Closes the baseline's connections after a run: each run opens its own (they used to be left open). */
    static void closeAll(List<Connection> connections) throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
    }

    /** One baseline receipt: the customer (by phone number index) and its lines. */
    record Plan(int phone, int[] sku, int[] quantity, long[] cents) {}

    Load insertEach(int count, int pool, ThreadLocal<Connection> connections, List<Plan> plans, long[] customers,
                    Map<Integer, SkuRow> skus, long store, String source) throws Exception {
        return loadOnPlatformThreads(count, pool, i -> {
            Plan plan = plans.get(i);
            Connection c = connections.get();
            long customer = customers[plan.phone() % customers.length];
            long total = 0;
            for (int j = 0; j < plan.sku().length; j++) {
                total += plan.quantity()[j] * plan.cents()[j];
            }
            try (PreparedStatement receipt = c.prepareStatement("""
                    insert into receipt (source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                         total_cents, discount_cents)
                    values (?, ?, 'sale', ?, ?, ?, 'store', ?, 0) returning id""");
                 PreparedStatement line = c.prepareStatement("""
                    insert into receipt_line (receipt_id, customer_id, line_no, sku_id, sku_code, category_code,
                                              quantity, unit_price_cents, discount_cents, amount_cents)
                    values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)""")) {
                receipt.setString(1, source);
                receipt.setString(2, "R" + i);
                receipt.setLong(3, customer);
                receipt.setLong(4, store);
                receipt.setTimestamp(5, Timestamp.from(Instant.now())); // as the API side: a till's time
                receipt.setLong(6, total);
                long id;
                try (ResultSet rs = receipt.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                for (int j = 0; j < plan.sku().length; j++) {
                    SkuRow sku = skus.get(plan.sku()[j]);
                    line.setLong(1, id);
                    line.setLong(2, customer);
                    line.setInt(3, j + 1);
                    line.setLong(4, sku.id());
                    line.setString(5, sku.code());
                    line.setString(6, sku.category());
                    line.setInt(7, plan.quantity()[j]);
                    line.setLong(8, plan.cents()[j]);
                    line.setLong(9, plan.quantity()[j] * plan.cents()[j]);
                    line.addBatch();
                }
                line.executeBatch();
                c.commit();
            }
            return null;
        });
    }

    void checkReceiptsMatchBaseline() throws Exception {
        int n = Math.min(receipts, 2_000);
        checkBothWroteTheSame("receipts", "JDBC baseline", source -> postReceipts(source, n),
                source -> insertReceipts(source, n));
    }

    // ---- customer 360 lookups ---------------------------------------------------------------

    static final String LOOKUP_SQL = """
            select c.id, c.gender, c.city, s.orders, s.spend_cents, s.last_purchase_at
            from customer c left join customer_stats s on s.customer_id = c.id where c.id = ?""";

    Load lookupOverHttp(long[] customers, int count, int run) throws Exception {
        SplittableRandom random = new SplittableRandom(100 + run);
        long[] ids = random.longs(count, 0, customers.length).map(i -> customers[(int) i]).toArray();
        if (rawClient) {
            return loadRaw(count, (c, i) -> c.send("GET", "/api/v1/customers/" + ids[i] + "/overview", key, null).expect(200));
        }
        return load(count, i -> {
            HttpResponse<String> r = get("/api/v1/customers/" + ids[i] + "/overview");
            expect(r, 200);
            return null;
        });
    }

    Load lookupBySql(long[] customers, int count, int run) throws Exception {
        SplittableRandom random = new SplittableRandom(100 + run);
        long[] ids = random.longs(count, 0, customers.length).map(i -> customers[(int) i]).toArray();
        List<Connection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<PreparedStatement> statements = ThreadLocal.withInitial(() -> {
            try {
                Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                opened.add(c);
                return c.prepareStatement(LOOKUP_SQL);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return selectEach(count, ids, statements);
        } finally {
            closeAll(opened);
        }
    }

    Load selectEach(int count, long[] ids, ThreadLocal<PreparedStatement> statements) throws Exception {
        return loadOnPlatformThreads(count, Math.min(concurrency, 16), i -> {
            PreparedStatement s = statements.get();
            s.setLong(1, ids[i]);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no customer " + ids[i]);
                }
            }
            return null;
        });
    }

    /** The API's answer must carry the same orders and spend as the SQL row for a sample of customers. */
    void checkLookupsMatchBaseline(long[] customers) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
             PreparedStatement s = c.prepareStatement(LOOKUP_SQL)) {
            for (int i = 0; i < Math.min(200, customers.length); i++) {
                s.setLong(1, customers[i]);
                long orders;
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    orders = rs.getLong("orders");
                }
                String body = get("/api/v1/customers/" + customers[i] + "/overview").body();
                String apiOrders = jsonValue(body, "orders");
                if (apiOrders == null || Long.parseLong(apiOrders) != orders) {
                    throw new IllegalStateException("lookup of customer " + customers[i] + " says orders=" + apiOrders
                            + ", SQL says " + orders);
                }
            }
        }
        log("lookup check: 200 customers agree with SQL");
    }

    // ---- load generation --------------------------------------------------------------------

    interface Call {
        Void call(int i) throws Exception;
    }

    /** Runs {@code count} calls with {@link #concurrency} in flight on virtual threads, timing each. */
    Load load(int count, Call call) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        long[] nanos = new long[count];
        AtomicInteger failures = new AtomicInteger();
        Cpu cpu = new Cpu(server);
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                int n = i;
                pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        call.call(n);
                    } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                            e.printStackTrace();
                        }
                    } finally {
                        nanos[n] = System.nanoTime() - t0;
                        inFlight.release();
                    }
                });
            }
        }
        return finish(count, nanos, failures, System.nanoTime() - started, cpu);
    }

    interface RawCall {
        void call(RawConnection connection, int i) throws Exception;
    }

    /**
     * Like {@link #load}, with {@link #concurrency} platform threads each keeping one connection: a
     * caller sends its next call when the last one is answered, as a till does.
     */
    Load loadRaw(int count, RawCall call) throws Exception {
        URI base = URI.create(url);
        List<RawConnection> connections = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            connections.add(new RawConnection(base.getHost(), base.getPort()));
        }
        List<Call> callers = connections.stream().<Call>map(c -> i -> {
            call.call(c, i);
            return null;
        }).toList();
        Load load = onPlatformThreads(count, callers, new Cpu(server));
        for (RawConnection c : connections) {
            c.close();
        }
        return load;
    }

    /** Like {@link #load} on a fixed pool of platform threads, one JDBC connection each. */
    Load loadOnPlatformThreads(int count, int threads, Call call) throws Exception {
        return onPlatformThreads(count, java.util.Collections.nCopies(threads, call), new Cpu(null));
    }

    /** Calls 0..count-1, timed, on one platform thread per caller; each takes the next call when done. */
    static Load onPlatformThreads(int count, List<Call> callers, Cpu cpu) throws Exception {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (Call call : callers) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    try {
                        call.call(i);
                    } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                            e.printStackTrace();
                        }
                    }
                    nanos[i] = System.nanoTime() - t0;
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        return finish(count, nanos, failures, System.nanoTime() - started, cpu);
    }

    static Load finish(int count, long[] nanos, AtomicInteger failures, long elapsed, Cpu cpu) {
        long clientCpu = cpu.clientNanos();
        long serverCpu = cpu.serverNanos();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + count + " calls failed");
        }
        Arrays.sort(nanos);
        return new Load(count, elapsed, nanos, clientCpu, serverCpu);
    }

    /** CPU time used since it was made by this process and by the server process (-1 if unknown). */
    static final class Cpu {
        private final ProcessHandle server;
        private final long clientStart = clientCpu();
        private final long serverStart;

        Cpu(ProcessHandle server) {
            this.server = server;
            this.serverStart = serverCpu(server);
        }

        long clientNanos() {
            return clientCpu() - clientStart;
        }

        long serverNanos() {
            return server == null || serverStart < 0 ? -1 : serverCpu(server) - serverStart;
        }

        static long clientCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        static long serverCpu(ProcessHandle server) {
            return server == null ? -1 : server.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
        }
    }

    record Load(int count, long elapsedNanos, long[] sortedNanos, long clientCpuNanos, long serverCpuNanos) {
        double perSecond() {
            return count / seconds(elapsedNanos);
        }

        double clientCpuMsPerCall() {
            return clientCpuNanos / 1e6 / count;
        }

        java.util.OptionalDouble serverCpuMsPerCall() {
            return serverCpuNanos < 0 ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(serverCpuNanos / 1e6 / count);
        }

        double percentileMs(int p) {
            int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, index)] / 1e6;
        }
    }

    /** Figures of the runs: the median, with min and max. */
    static final class Figures {
        final List<Double> values = new ArrayList<>();

        void add(double v) {
            values.add(v);
        }

        double last() {
            return values.getLast();
        }

        double lastOrNaN() {
            return values.isEmpty() ? Double.NaN : values.getLast();
        }

        String median() {
            if (values.isEmpty()) {
                return "null";
            }
            double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return round(s[s.length / 2]);
        }

        double medianOr(double none) {
            if (values.isEmpty()) {
                return none;
            }
            double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s[s.length / 2];
        }

        String spread() {
            if (values.isEmpty()) {
                return "null";
            }
            double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return "{\"median\": " + round(s[s.length / 2]) + ", \"min\": " + round(s[0]) + ", \"max\": "
                    + round(s[s.length - 1]) + "}";
        }

        static String round(double v) {
            return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
        }
    }

    // ---- a lean HTTP client for the timed calls ---------------------------------------------

    /** An answer: status and body. */
    record RawResponse(int status, byte[] body) {
        void expect(int... ok) {
            for (int s : ok) {
                if (status == s) {
                    return;
                }
            }
            throw new IllegalStateException("HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8));
        }
    }

    /**
     * One kept-alive HTTP/1.1 connection, blocking, just enough of the protocol for Regulars' answers
     * (Content-Length or chunked bodies). WHY: the JDK HttpClient's selector thread, futures and
     * header maps cost about as much CPU per call as the server's work, on the same two cores.
     */
    static final class RawConnection implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        RawConnection(String host, int port) throws IOException {
            this.host = host;
            this.port = port;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = new BufferedOutputStream(socket.getOutputStream(), 16_384);
        }

        RawResponse send(String method, String path, String key, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                    .append("\r\nAuthorization: Bearer ").append(key).append("\r\nAccept: application/json\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            byte[] answer = chunked ? chunks() : in.readNBytes((int) Math.max(length, 0));
            if (close) {
                close();
                connect();
            }
            return new RawResponse(code, answer);
        }

        private byte[] chunks() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt(semicolon < 0 ? size.trim() : size.substring(0, semicolon).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers: none expected
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line();
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------

    long[] customersByPhoneOrder(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("select id from customer order by id limit " + PHONES)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("no customers yet: the import check creates them");
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** A bench SKU as receipt_line stores it: id, code and the category code (null when uncatalogued). */
    record SkuRow(long id, String code, String category) {}

    Map<Integer, SkuRow> skuIds(Connection c) throws SQLException {
        Map<Integer, SkuRow> out = new HashMap<>();
        try (ResultSet rs = c.createStatement().executeQuery("""
                select s.code, s.id, g.code from sku s left join category g on g.id = s.category_id
                where s.code like 'BENCH-SKU-%'""")) {
            while (rs.next()) {
                out.put(Integer.parseInt(rs.getString(1).substring("BENCH-SKU-".length())),
                        new SkuRow(rs.getLong(2), rs.getString(1), rs.getString(3)));
            }
        }
        if (out.size() < SKUS) {
            throw new IllegalStateException("expected " + SKUS + " bench SKUs, found " + out.size()
                    + " (give --lines 10000 or more, so that the import file names every SKU)");
        }
        return out;
    }

    static long one(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until every feed consumer has read up to the newest event (at most five minutes), so that a
     * phase starts on a server that has digested the writes of the phase before it (the import leaves
     * a quarter of a million receipts for loyalty, stats, coupons and the segments to work through).
     */
    void awaitConsumersCaughtUp(String phase) throws Exception {
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            while (System.nanoTime() - started < 300_000_000_000L) {
                long behind = one(c, """
                        select count(*) from feed_position p
                        where (p.last_tx, p.last_id) < (select tx_id, id from event_feed order by tx_id desc, id desc limit 1)""");
                if (behind == 0) {
                    log("%s: the feed consumers had caught up after %.1f s".formatted(phase, seconds(System.nanoTime() - started)));
                    return;
                }
                Thread.sleep(250);
            }
        }
        log("%s: feed consumers still behind after five minutes; going on".formatted(phase));
    }

    /**
     * Event to segment: a saved segment {@code orders() >= 1}; then, one at a time, a receipt for a phone
     * never seen (a new customer), timed from its answer (committed) until the segment round has
     * committed that customer's {@code segment.entered} to the feed, read over JDBC every half
     * millisecond. Returns p50, p99 and max in ms.
     */
    double[] segmentEntered(int samples) throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/segments"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "bench buyers %d", "text": "orders() >= 1"}""".formatted(System.nanoTime()))).build());
        expect(created, 201);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(created.body());
        if (!id.find()) {
            throw new IllegalStateException("no segment id in " + created.body());
        }
        long segment = Long.parseLong(id.group(1));
        long[] nanos = new long[samples];
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
             PreparedStatement computed = c.prepareStatement("select computed_at is not null from segment where id = ?");
             PreparedStatement newest = c.prepareStatement("select coalesce(max(id), 0) from event_feed");
             // Only the events after the receipt's post, by the primary key: the feed has no index by customer.
             PreparedStatement entered = c.prepareStatement("""
                     select true from event_feed where id > ? and type = 'segment.entered' and customer_id = ?
                       and (payload ->> 'segmentId')::bigint = ?""")) {
            computed.setLong(1, segment);
            while (!holds(computed)) { // its first round takes in everyone without events
                Thread.sleep(20);
            }
            log("segments: %d receipts from new customers, each awaited as segment.entered".formatted(samples));
            String source = nextSource("seg");
            for (int i = 0; i < samples; i++) {
                long before = newestId(newest);
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/receipts"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"source":"%s","receiptNo":"E%d","storeCode":"%s","purchasedAt":"%s",
                                 "customer":{"phone":"%s"},"lines":[{"sku":"%s","quantity":1,"unitPrice":"9.90"}]}"""
                                .formatted(source, i, STORE, tillTime(), phone((int) (PHONES * 10 + segment * 1000 + i)),
                                        sku(0)))).build());
                long answered = System.nanoTime();
                expect(r, 200, 201);
                Matcher customer = Pattern.compile("\"customerId\"\\s*:\\s*(\\d+)")
                        .matcher(r.body());
                if (!customer.find()) {
                    throw new IllegalStateException("no customer id in " + r.body());
                }
                entered.setLong(1, before);
                entered.setLong(2, Long.parseLong(customer.group(1)));
                entered.setLong(3, segment);
                while (!holds(entered)) {
                    Thread.sleep(0, 500_000);
                }
                nanos[i] = System.nanoTime() - answered;
                Thread.sleep(20 + (i * 37) % 80);
            }
        }
        Arrays.sort(nanos);
        double p50 = nanos[samples / 2] / 1e6;
        double p99 = nanos[(int) Math.ceil(samples * 0.99) - 1] / 1e6;
        double max = nanos[samples - 1] / 1e6;
        log("segments: receipt answered → segment.entered on the feed: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                .formatted(p50, p99, max));
        return new double[] {p50, p99, max};
    }

    private static long newestId(PreparedStatement newest) throws java.sql.SQLException {
        try (var rs = newest.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether the query gives a row whose first column is true. */
    static boolean holds(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    long[] customerIds() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            return customersByPhoneOrder(c);
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key).GET().build());
    }

    void post(String path, String json, int... ok) throws Exception {
        expect(send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build()), ok);
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void expect(HttpResponse<String> response, int... ok) {
        for (int status : ok) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " → "
                + response.statusCode() + ": " + response.body());
    }

    /** The first value of a top-level-ish JSON key; enough for ids, statuses and counts. */
    static String jsonValue(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1).trim() : null;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void log(String message) {
        System.err.println("bench: " + message);
    }
}
