package app.regulars.insights.engine;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL of the insights tests' own (one per test JVM), with a fresh migrated database per
 * data set: the index and the oracle see exactly the rows a test wrote, never other tests' rows.
 */
final class PrivateDatabase {

    private static EmbeddedPostgres postgres;

    private PrivateDatabase() {}

    static synchronized DataSource fresh() {
        try {
            if (postgres == null) {
                Path dir = Files.createTempDirectory("insights-pg");
                postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is ending anyway
                    }
                }));
            }
            String name = "insights_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("create database " + name);
            }
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
            Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(url);
            pool.setUsername("postgres");
            pool.setPassword("postgres");
            pool.setMaximumPoolSize(4);
            return pool;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
