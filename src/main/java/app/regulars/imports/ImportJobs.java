package app.regulars.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The import_job and import_mapping tables. Each update is its own short statement (autocommit). */
@Repository
class ImportJobs {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> COLUMNS = new TypeReference<>() {};

    private final JdbcClient db;
    private final ObjectMapper json;
    private final Clock clock;

    ImportJobs(JdbcClient db, ObjectMapper json, Clock clock) {
        this.db = db;
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
                String message, Map<String, Object> facts) {
        Timestamp now = Timestamp.from(clock.instant());
        db.sql("""
                        update import_job set status = ?, total_rows = ?, processed_rows = ?, applied_count = ?,
                               error_count = ?, progress = 100, error_report = ?, message = ?, facts = ?::jsonb,
                               heartbeat_at = ?, finished_at = ? where id = ?""")
                .params(status, totalRows, processedRows, applied, errors, reportPath, message, write(facts), now, now, id)
                .update();
    }

    /** Jobs left running by a process that stopped: they say so, and how to complete them. */
    int markAbandoned(Instant staleBefore) {
        return db.sql("""
                        update import_job set status = 'failed', finished_at = ?, message = ?
                        where status in ('queued', 'validating', 'applying') and heartbeat_at < ?""")
                .params(Timestamp.from(clock.instant()), ImportRun.INTERRUPTED, Timestamp.from(staleBefore))
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
                rs.getString("error_report") != null, rs.getString("message"), read(rs.getString("facts"), MAP),
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
