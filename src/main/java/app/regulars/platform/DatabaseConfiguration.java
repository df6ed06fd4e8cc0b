package app.regulars.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The system of record: an external PostgreSQL when {@code regulars.db.url} is set, otherwise an
 * embedded PostgreSQL 15 under the data folder, so a first run needs nothing installed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegularsProperties.class)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    DataSource dataSource(RegularsProperties properties, Database database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withBatchRewrite(database.jdbcUrl()));
        config.setUsername(database.user());
        config.setPassword(database.password());
        // WHY 10: a receipt's transaction is short and mostly waits on the wire and the WAL flush, so a
        // few connections per core keep PostgreSQL busy; more backends than that only fight over the
        // same cores and locks (see docs/decisions/0010-intake-performance.md).
        config.setMaximumPoolSize(10);
        config.setPoolName("regulars");
        return new HikariDataSource(config);
    }

    /**
     * WHY: a JDBC batch of single-row statements goes to PostgreSQL as multi-row ones, one statement per
     * up to 128 rows instead of one per row. The hot paths send arrays instead (one statement whatever
     * the batch's size); this covers the rest. Explicit settings in the URL win.
     */
    static String withBatchRewrite(String url) {
        if (url == null || url.contains("reWriteBatchedInserts")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    @Bean(destroyMethod = "close")
    Database database(RegularsProperties properties) {
        if (properties.db() != null && properties.db().external()) {
            log.info("Using external PostgreSQL at {}", properties.db().url());
            return new Database(properties.db().url(), properties.db().user(), properties.db().password(), null);
        }
        Path dir = properties.dataDir().resolve("pg");
        Database running = runningEmbedded(dir);
        if (running != null) {
            return running;
        }
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "60")
                    // zonky turns synchronous_commit off by default; an acknowledged receipt must
                    // survive a crash, so commits are durable here as on any production server.
                    .setServerConfig("synchronous_commit", "on")
                    // WHY: the defaults suit a laptop demo, not a till network. Each setting is durable
                    // (fsync and full_page_writes stay on); see docs/decisions/0010-intake-performance.md.
                    // Room for the hot tables and indexes (customer identities, receipts, the feed).
                    .setServerConfig("shared_buffers", "512MB")
                    // A whole burst of commits' WAL fits before it must be written (auto would be 4MB).
                    .setServerConfig("wal_buffers", "16MB")
                    // Fewer checkpoints under steady intake: each one makes the next change of every
                    // page write a full page image into the WAL.
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    // Group commit: when at least 5 other transactions are open, a committing one waits
                    // 200 µs so that one WAL flush covers them all; still durable, acknowledged only
                    // after the flush.
                    .setServerConfig("commit_delay", "200")
                    .setServerConfig("commit_siblings", "5")
                    // A young database grows fast (a first import), and statements keep plans made while its
                    // tables were small until autovacuum analyzes them: the import's idempotency look-up
                    // seq-scanned receipt 43 times in one bench import with the default minute, 13 with 10 s.
                    .setServerConfig("autovacuum_naptime", "10s")
                    .start();
            log.info("Started embedded PostgreSQL under {} on port {}", dir.toAbsolutePath(), postgres.getPort());
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            return new Database(url, "postgres", "postgres", postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + dir, e);
        }
    }

    /**
     * The embedded database may already be running: started by a Regulars server while a command
     * line tool (import, generate) runs, or left behind by a process that was killed. Its
     * postmaster.pid names the port; we connect to it rather than fail to start a second one.
     */
    private static Database runningEmbedded(Path dir) {
        Path pid = dir.resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return null;
        }
        try {
            java.util.List<String> lines = Files.readAllLines(pid);
            if (lines.size() < 4) {
                return null;
            }
            String url = "jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres";
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres")) {
                c.isValid(2);
            }
            log.info("Using the embedded PostgreSQL already running under {}", dir.toAbsolutePath());
            return new Database(url, "postgres", "postgres", null);
        } catch (IOException | java.sql.SQLException | RuntimeException e) {
            return null;
        }
    }
}
