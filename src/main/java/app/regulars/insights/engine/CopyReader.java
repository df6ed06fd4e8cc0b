package app.regulars.insights.engine;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;

/**
 * Streams a query's rows out of PostgreSQL in COPY's binary format and hands each row to a callback
 * as offsets into one reused buffer: no String, no boxed number, no row object per row. This is
 * what lets the index load ten million receipts in seconds.
 */
final class CopyReader extends OutputStream {

    /** Receives one row; fields are read through the row, valid only during the call. */
    interface RowHandler {
        void row(CopyReader row);
    }

    private static final long PG_EPOCH_DAY = 10_957; // 2000-01-01 as a Unix epoch day

    /** Every 65,536 rows read are added here (and the rest at the end): progress, without a write per row. */
    private static final int PROGRESS_STEP = 1 << 16;

    private final RowHandler handler;
    private final LongAdder progress;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean headerRead;
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private long rows;

    private CopyReader(RowHandler handler, LongAdder progress) {
        this.handler = handler;
        this.progress = progress;
    }

    static long read(Connection connection, String query, RowHandler handler) throws SQLException {
        return read(connection, query, new LongAdder(), handler);
    }

    /** Reads the query's rows, adding how many to {@code progress} as it goes. */
    static long read(Connection connection, String query, LongAdder progress, RowHandler handler) throws SQLException {
        CopyReader reader = new CopyReader(handler, progress);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("copy (" + query + ") to stdout (format binary)", reader);
        } catch (java.io.IOException e) {
            throw new SQLException("copy out failed", e);
        }
        progress.add(reader.rows % PROGRESS_STEP);
        return reader.rows;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (limit + len > buf.length) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
            if (limit + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, limit + len));
            }
        }
        System.arraycopy(b, off, buf, limit, len);
        limit += len;
        parse();
    }

    private void parse() {
        if (!headerRead) {
            if (limit - pos < 19) {
                return;
            }
            int ext = int4At(pos + 15);
            if (limit - pos < 19 + ext) {
                return;
            }
            pos += 19 + ext;
            headerRead = true;
        }
        while (limit - pos >= 2) {
            int fields = (short) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
            if (fields < 0) {
                pos = limit; // the trailer
                return;
            }
            if (!locate(fields)) {
                return;
            }
            rows++;
            handler.row(this);
            if (rows % PROGRESS_STEP == 0) {
                progress.add(PROGRESS_STEP);
            }
        }
    }

    /** Finds the fields of the next complete row; false when the buffer does not hold all of it yet. */
    private boolean locate(int fields) {
        if (fields > offsets.length) {
            offsets = new int[fields];
            lengths = new int[fields];
        }
        int p = pos + 2;
        for (int f = 0; f < fields; f++) {
            if (limit - p < 4) {
                return false;
            }
            int len = int4At(p);
            p += 4;
            offsets[f] = p;
            lengths[f] = len;
            if (len > 0) {
                if (limit - p < len) {
                    return false;
                }
                p += len;
            }
        }
        pos = p;
        return true;
    }

    private int int4At(int p) {
        return ((buf[p] & 0xFF) << 24) | ((buf[p + 1] & 0xFF) << 16) | ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
    }

    boolean isNull(int f) {
        return lengths[f] < 0;
    }

    int int4(int f) {
        return int4At(offsets[f]);
    }

    long int8(int f) {
        int p = offsets[f];
        return ((long) int4At(p) << 32) | (int4At(p + 4) & 0xFFFFFFFFL);
    }

    /** A bigint or int column, whichever the query produced. */
    long integer(int f) {
        return lengths[f] == 8 ? int8(f) : lengths[f] == 4 ? int4(f) : (short) (((buf[offsets[f]] & 0xFF) << 8)
                | (buf[offsets[f] + 1] & 0xFF));
    }

    boolean bool(int f) {
        return buf[offsets[f]] != 0;
    }

    /** A date column as a Unix epoch day. */
    int epochDay(int f) {
        return (int) (int4(f) + PG_EPOCH_DAY);
    }

    /** A text column as a code of the dictionary (0 when null). */
    int code(int f, Dictionary dictionary) {
        return lengths[f] < 0 ? 0 : dictionary.code(buf, offsets[f], lengths[f]);
    }

    String text(int f) {
        return lengths[f] < 0 ? null : new String(buf, offsets[f], lengths[f], StandardCharsets.UTF_8);
    }
}
