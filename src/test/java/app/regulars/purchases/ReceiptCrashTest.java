package app.regulars.purchases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dataDir;
    private Process child;
    private String externalDatabase;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aKilledServerLosesNoAcknowledgedReceiptAndCountsEachOnce() throws Exception {
        dataDir = Files.createTempDirectory("regulars-crash-");
        Map<String, String> db = database();
        int port = freePort();
        child = start(port, db, "first");
        insertStore(db);
        String key = insertApiKey(db);

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
                        if (post(port, key, body) / 100 == 2) {
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
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no graceful close
            killed.set(true);
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("pid %d died of SIGKILL (128 + 9)", pid).isEqualTo(137);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(acknowledged).as("receipts acknowledged before the kill").hasSizeGreaterThan(50);
        System.out.printf("crash test: %d receipts sent, %d acknowledged before SIGKILL%n", sent.size(),
                acknowledged.size());

        child = start(port, db, "second");
        String keyAfter = key;
        try (ExecutorService retries = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<Integer>> statuses = new ArrayList<>();
            sent.values().forEach(body -> statuses.add(retries.submit(() -> post(port, keyAfter, body))));
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isIn(200, 201);
            }
        }

        try (Connection c = connect(db)) {
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
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        // The embedded PostgreSQL outlives a SIGKILLed Regulars (it is its own process): stop it.
        Path pid = dataDir == null ? null : dataDir.resolve("pg").resolve("postmaster.pid");
        if (pid != null && Files.exists(pid)) {
            long postgres = Long.parseLong(Files.readAllLines(pid).getFirst().trim());
            ProcessHandle.of(postgres).ifPresent(p -> {
                try {
                    new ProcessBuilder("kill", "-INT", Long.toString(postgres)).start().waitFor();
                    p.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        if (externalDatabase != null) {
            try (Connection c = DriverManager.getConnection(System.getenv("REGULARS_TEST_DB_URL"), user(), password());
                 Statement s = c.createStatement()) {
                s.execute("drop database if exists " + externalDatabase + " with (force)");
            }
        }
    }

    // ---- the child process

    private Process start(int port, Map<String, String> db, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "app.regulars.RegularsApplication",
                "--server.port=" + port, "--regulars.data-dir=" + dataDir, "--regulars.demo=false",
                "--logging.level.root=WARN"));
        db.forEach((k, v) -> command.add("--regulars.db." + k + "=" + v));
        Path log = dataDir.resolve("regulars-" + name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Regulars exited with " + p.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IllegalStateException("Regulars did not become healthy:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private int post(int port, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/receipts"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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

    /** An external server's fresh database when REGULARS_TEST_DB_URL is set; else the child's embedded one. */
    private Map<String, String> database() throws SQLException {
        String server = System.getenv("REGULARS_TEST_DB_URL");
        if (server == null || server.isBlank()) {
            return Map.of();
        }
        externalDatabase = "regulars_crash_" + run;
        try (Connection c = DriverManager.getConnection(server, user(), password()); Statement s = c.createStatement()) {
            s.execute("create database " + externalDatabase);
        }
        Map<String, String> db = new HashMap<>();
        db.put("url", server.substring(0, server.lastIndexOf('/') + 1) + externalDatabase);
        db.put("user", user());
        db.put("password", password());
        return db;
    }

    private Connection connect(Map<String, String> db) throws IOException, SQLException {
        if (!db.isEmpty()) {
            return DriverManager.getConnection(db.get("url"), db.get("user"), db.get("password"));
        }
        List<String> pid = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"));
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres",
                "postgres", "postgres");
    }

    private void insertStore(Map<String, String> db) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("insert into store (code, name) values ('" + STORE + "', 'Crash test store') on conflict do nothing");
        }
    }

    /**
     * An all-stores API key stored as the access module stores keys (SHA-256 hex of the key): works
     * for the embedded and for an external database, where the first run issues no key.
     */
    private String insertApiKey(Map<String, String> db) throws Exception {
        String key = "rk_crash" + run + UUID.randomUUID().toString().replace("-", "");
        String hash = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("insert into api_key (name, prefix, key_hash, created_by) values ('crash test', '"
                    + key.substring(0, 11) + "', '" + hash + "', 'crash-test')");
        }
        return key;
    }

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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String user() {
        return System.getenv().getOrDefault("REGULARS_TEST_DB_USER", "postgres");
    }

    private static String password() {
        return System.getenv().getOrDefault("REGULARS_TEST_DB_PASSWORD", "");
    }
}
