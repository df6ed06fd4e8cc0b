package app.regulars.customers;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Statements whose parameters are whole columns ({@code unnest(?::bytea[], …)}), so a batch of any
 * size costs one round trip.
 */
final class SqlArrays {

    /** One array parameter: its PostgreSQL element type and values (byte[][] for bytea). */
    record Column(String type, Object[] values) {
        static Column text(List<String> values) {
            return new Column("text", values.toArray(String[]::new));
        }

        static Column bytea(List<byte[]> values) {
            return new Column("bytea", values.toArray(byte[][]::new));
        }

        static Column bigint(List<Long> values) {
            return new Column("bigint", values.toArray(Long[]::new));
        }

        static Column timestamptz(List<Instant> values) {
            return new Column("timestamptz", values.stream()
                    .map(t -> t == null ? null : Timestamp.from(t)).toArray(Timestamp[]::new));
        }
    }

    private SqlArrays() {}

    /** Parameters are {@link Column}s (bound as arrays) or plain values. */
    static <T> List<T> query(JdbcTemplate jdbc, String sql, RowMapper<T> mapper, Object... params) {
        return jdbc.query(con -> prepare(con, sql, params), mapper);
    }

    static int update(JdbcTemplate jdbc, String sql, Object... params) {
        return jdbc.update(con -> prepare(con, sql, params));
    }

    private static PreparedStatement prepare(java.sql.Connection con, String sql, Object... params)
            throws java.sql.SQLException {
        PreparedStatement ps = con.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Column c) {
                ps.setArray(i + 1, con.createArrayOf(c.type(), c.values()));
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
        return ps;
    }
}
