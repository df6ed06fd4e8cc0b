package app.regulars.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The import_job and import_mapping tables. Each update is its own short statement (autocommit). */
@Repository
class ImportJobs {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> COLUMNS = new TypeReference<>() {};

    /** First key of the two-int advisory locks a running job holds ("IMPT"); the second is the job id. */
    private static final int RUNNING_LOCKS = 0x494D5054;

    private final JdbcClient db;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;

    ImportJobs(JdbcClient db, DataSource dataSource, ObjectMapper json, Clock clock) {
        this.db = db;
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    long create(ImportType type, String fileName, String storedPath, Map<String, String> mapping, ImportOptions options,
                String createdBy) {
        Timestamp now = Timestamp.from(clock.instant());
        return db.sql("""
                        insert into import_job (type, file_name, stored_path, status, mapping, options, created_at,
                                                heartbeat_at, created_by)
                        values (?, ?, ?, 'queued', ?::jsonb, ?::jsonb, ?, ?, ?) returning id""")
                .params(type.code(), fileName, storedPath, write(mapping), write(options), now, now, createdBy)
                .query(Long.class).single();
    }

    void progress(long id, String status, long totalRows, long processedRows, long applied, long errors, int percent) {
        db.sql("""
                        update import_job set status = ?, total_rows = ?, processed_rows = ?, applied_count = ?,
                               error_count = ?, progress = ?, heartbeat_at = ? where id = ?""")
                .params(status, totalRows, processedRows, applied, errors, percent, Timestamp.from(clock.instant()), id)
                .update();
    }

    void finish(long id, String status, long totalRows, long processedRows, long applied, long errors, String reportPath,
                JobMessage message, Map<String, Object> facts) {
        Timestamp now = Timestamp.from(clock.instant());
        db.sql("""
                        update import_job set status = ?, total_rows = ?, processed_rows = ?, applied_count = ?,
                               error_count = ?, progress = 100, error_report = ?, message = ?, message_code = ?, facts = ?::jsonb,
                               heartbeat_at = ?, finished_at = ? where id = ?""")
                .params(status, totalRows, processedRows, applied, errors, reportPath, message == null ? null : message.english(),
                        message == null ? null : message.code(), write(facts), now, now, id)
                .update();
    }

    /** A job's claim that a live process runs it; closing it (or the process dying) lets go. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds the job's advisory lock, on a connection of its own, while the job runs. PostgreSQL lets
     * go of it when that connection ends, also when the process is killed, so a restarted server can
     * tell a job nobody runs any more from one that another process (the command line) is still running.
     */
    Running running(long id) {
        try {
            Connection c = dataSource.getConnection();
            try {
                lock(c, "select pg_advisory_lock(?, ?)", id);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            return () -> {
                try (c) {
                    lock(c, "select pg_advisory_unlock(?, ?)", id);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot release the lock of import " + id, e);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock import " + id, e);
        }
    }

    private static void lock(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, RUNNING_LOCKS);
            s.setInt(2, (int) (id & 0x7fffffff));
            s.execute();
        }
    }

    /**
     * Jobs left running by a process that stopped: they say so, and how to complete them. A job past
     * "queued" whose lock nobody holds has lost its process (at once, even if it beat a second ago);
     * a queued one, not locked yet, only when its heartbeat is older than {@code staleBefore}.
     */
    int markAbandoned(Instant staleBefore) {
        return db.sql("""
                        update import_job set status = 'failed', finished_at = ?, message = ?, message_code = ?
                        where status in ('queued', 'validating', 'applying')
                          and (heartbeat_at < ?
                               or (status <> 'queued' and pg_try_advisory_xact_lock(?, (id & 2147483647)::int)))""")
                .params(Timestamp.from(clock.instant()), JobMessage.INTERRUPTED.english(), JobMessage.INTERRUPTED.code(),
                        Timestamp.from(staleBefore), RUNNING_LOCKS)
                .update();
    }

    Optional<ImportJob> find(long id) {
        return db.sql("select * from import_job where id = ?").param(id).query(this::job).optional();
    }

    Optional<String> reportPath(long id) {
        return db.sql("select error_report from import_job where id = ? and error_report is not null").param(id)
                .query(String.class).optional();
    }

    List<ImportJob> recent(int limit) {
        return db.sql("select * from import_job order by created_at desc, id desc limit ?").param(limit).query(this::job).list();
    }

    void saveMapping(ImportType type, String name, Map<String, String> columns) {
        db.sql("""
                        insert into import_mapping (type, name, columns, updated_at) values (?, ?, ?::jsonb, ?)
                        on conflict (type, name) do update set columns = excluded.columns, updated_at = excluded.updated_at""")
                .params(type.code(), name, write(columns), Timestamp.from(clock.instant())).update();
    }

    Optional<Map<String, String>> mapping(ImportType type, String name) {
        return db.sql("select columns::text from import_mapping where type = ? and name = ?").params(type.code(), name)
                .query(String.class).optional().map(text -> read(text, COLUMNS));
    }

    /** Saved mappings by name; with a null type, of every type ("name" → type code). */
    List<String[]> mappings(ImportType type) {
        return db.sql("select name, type from import_mapping where (?::text is null or type = ?::text) order by name")
                .params(type == null ? null : type.code(), type == null ? null : type.code())
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    private ImportJob job(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new ImportJob(rs.getLong("id"), ImportType.parse(rs.getString("type")).orElseThrow(),
                rs.getString("file_name"), rs.getString("status"), rs.getLong("total_rows"), rs.getLong("processed_rows"),
                rs.getLong("applied_count"), rs.getLong("error_count"), rs.getInt("progress"),
                rs.getString("error_report") != null, rs.getString("message"), rs.getString("message_code"),
                read(rs.getString("facts"), MAP),
                rs.getTimestamp("created_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getString("created_by"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }
}
