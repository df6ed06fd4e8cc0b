package app.regulars;

import app.regulars.access.ApiKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every test that needs the application and its database. All subclasses share one Spring
 * context and one database per test JVM: an embedded PostgreSQL under target/, or, when
 * {@code REGULARS_TEST_DB_URL} names a server (CI sets it to the machine's PostgreSQL), a fresh
 * database created on that server for this run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static String testApiKey;

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestRestTemplate rest;

    @Autowired
    private ApiKeys apiKeys;

    /**
     * An API key with access to all stores, for calling {@code /api/v1} as a POS would. Issued once
     * per test JVM.
     */
    protected String apiKey() {
        synchronized (IntegrationTest.class) {
            if (testApiKey == null) {
                testApiKey = apiKeys.issue("integration tests", Set.of());
            }
            return testApiKey;
        }
    }

    /** Calls the API with {@link #apiKey()}; never throws on 4xx/5xx so tests can assert them. */
    protected ResponseEntity<String> api(HttpMethod method, String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(apiKey());
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setAccept(java.util.List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        return rest.exchange(path, method, new HttpEntity<>(body, headers), String.class);
    }

    protected ResponseEntity<String> apiGet(String path) {
        return api(HttpMethod.GET, path, null);
    }

    protected ResponseEntity<String> apiPost(String path, Object body) {
        return api(HttpMethod.POST, path, body);
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        Path dataDir = Path.of("target", "test-data", RUN).toAbsolutePath();
        registry.add("regulars.data-dir", dataDir::toString);
        registry.add("regulars.demo", () -> "false");
        // Tests run the loyalty schedule themselves, on their own clock; a background run at the real
        // time would expire other tests' back-dated points lots while those tests are counting them.
        registry.add("regulars.loyalty.schedule-initial-delay", () -> "PT24H");
        String server = System.getenv("REGULARS_TEST_DB_URL");
        if (server != null && !server.isBlank()) {
            String url = TestDatabases.freshDatabase(server, "regulars_test_" + RUN);
            registry.add("regulars.db.url", () -> url);
            registry.add("regulars.db.user", () -> System.getenv().getOrDefault("REGULARS_TEST_DB_USER", "postgres"));
            registry.add("regulars.db.password", () -> System.getenv().getOrDefault("REGULARS_TEST_DB_PASSWORD", ""));
        }
    }

    /** Creates databases on an external server for one test run. */
    public static final class TestDatabases {
        private static String created;

        private TestDatabases() {}

        public static synchronized String freshDatabase(String serverUrl, String name) {
            if (created != null) {
                return created;
            }
            String user = System.getenv().getOrDefault("REGULARS_TEST_DB_USER", "postgres");
            String password = System.getenv().getOrDefault("REGULARS_TEST_DB_PASSWORD", "");
            try (Connection c = DriverManager.getConnection(serverUrl, user, password)) {
                c.createStatement().execute("create database " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test database on " + serverUrl, e);
            }
            created = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name;
            // The machine's PostgreSQL outlives the run: leave nothing behind (force: the pool may
            // still hold connections while the JVM shuts down).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(serverUrl, user, password, name)));
            return created;
        }

        private static void drop(String serverUrl, String user, String password, String name) {
            try (Connection c = DriverManager.getConnection(serverUrl, user, password)) {
                c.createStatement().execute("drop database if exists " + name + " with (force)");
            } catch (SQLException e) {
                System.err.println("could not drop test database " + name + ": " + e.getMessage());
            }
        }
    }
}
