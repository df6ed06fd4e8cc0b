package app.regulars;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * Regulars as a separate OS process, for the crash tests: started with the test classpath on a free
 * port and a temporary data dir, on its embedded PostgreSQL there, or on a fresh database of the
 * server in REGULARS_TEST_DB_URL. It can be SIGKILLed and started again on the same data; closing it
 * stops the child, the embedded PostgreSQL a killed child leaves behind, and drops what it created.
 */
public final class ChildRegulars implements AutoCloseable {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path dataDir;
    private final int port;
    private final Map<String, String> db;
    private String externalDatabase;
    private Process process;

    private ChildRegulars(String label) throws IOException, SQLException {
        dataDir = Files.createTempDirectory("regulars-" + label + "-");
        port = freePort();
        try {
            db = database(label);
        } catch (SQLException e) {
            Files.delete(dataDir);
            throw e;
        }
    }

    /** A child on a free port with fresh data; {@link #start} runs it. */
    public static ChildRegulars prepare(String label) throws IOException, SQLException {
        return new ChildRegulars(label);
    }

    public int port() {
        return port;
    }

    public HttpClient http() {
        return http;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts Regulars on this child's port and data and waits until it is healthy; {@code name} names its log. */
    public void start(String name) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "app.regulars.RegularsApplication",
                "--server.port=" + port, "--regulars.data-dir=" + dataDir, "--regulars.demo=false",
                "--logging.level.root=WARN"));
        db.forEach((k, v) -> command.add("--regulars.db." + k + "=" + v));
        Path log = dataDir.resolve("regulars-" + name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process = p;
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Regulars exited with " + p.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IllegalStateException("Regulars did not become healthy:\n" + tail(log));
    }

    /**
     * SIGKILLs the child (no shutdown hooks, no graceful close) and waits for it to die; returns its
     * exit value, 137 (128 + 9) when the kill did it.
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 10 s");
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    // ---- the database

    /** An external server's fresh database when REGULARS_TEST_DB_URL is set; else the child's embedded one. */
    private Map<String, String> database(String label) throws SQLException {
        String server = System.getenv("REGULARS_TEST_DB_URL");
        if (server == null || server.isBlank()) {
            return Map.of();
        }
        externalDatabase = "regulars_" + label.replaceAll("\\W", "_") + "_" + run;
        try (Connection c = DriverManager.getConnection(server, user(), password()); Statement s = c.createStatement()) {
            s.execute("create database " + externalDatabase);
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("url", server.substring(0, server.lastIndexOf('/') + 1) + externalDatabase);
        settings.put("user", user());
        settings.put("password", password());
        return settings;
    }

    /** A connection to the child's database (the embedded one only while it runs, or after a kill). */
    public Connection connect() throws IOException, SQLException {
        if (!db.isEmpty()) {
            return DriverManager.getConnection(db.get("url"), db.get("user"), db.get("password"));
        }
        List<String> pid = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"));
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres",
                "postgres", "postgres");
    }

    public void insertStore(String code, String name) throws IOException, SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("insert into store (code, name) values ('" + code + "', '" + name + "') on conflict do nothing");
        }
    }

    /**
     * An all-stores API key stored as the access module stores keys (SHA-256 hex of the key): works
     * for the embedded and for an external database, where the first run issues no key.
     */
    public String insertApiKey() throws IOException, SQLException {
        String key = "rk_crash" + run + UUID.randomUUID().toString().replace("-", "");
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("insert into api_key (name, prefix, key_hash, created_by) values ('crash test', '"
                    + key.substring(0, 11) + "', '" + hash + "', 'crash-test')");
        }
        return key;
    }

    /**
     * A console user with the owner role, stored as the access module stores users (a {@code {bcrypt}} hash),
     * with no password to change at the first sign-in: for browser tests against this child.
     */
    public void insertOwner(String username, String password) throws IOException, SQLException {
        String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "insert into app_user (username, password_hash, display_name, role) values (?, ?, ?, 'owner')")) {
            s.setString(1, username);
            s.setString(2, hash);
            s.setString(3, username);
            s.executeUpdate();
        }
    }

    @Override
    public void close() throws IOException, SQLException {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        // The embedded PostgreSQL outlives a SIGKILLed Regulars (it is its own process): stop it.
        Path pid = dataDir.resolve("pg").resolve("postmaster.pid");
        if (Files.exists(pid)) {
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
        try (var files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        if (externalDatabase != null) {
            try (Connection c = DriverManager.getConnection(System.getenv("REGULARS_TEST_DB_URL"), user(), password());
                 Statement s = c.createStatement()) {
                s.execute("drop database if exists " + externalDatabase + " with (force)");
            }
        }
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
