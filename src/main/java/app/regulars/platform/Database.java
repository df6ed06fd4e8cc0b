package app.regulars.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/** Where the database is, and whether we started it ourselves. */
public record Database(String jdbcUrl, String user, String password, EmbeddedPostgres embedded)
        implements AutoCloseable {

    /** True when Regulars runs its own PostgreSQL under the data folder (the demo set-up). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
