package app.regulars.insights.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Rows of one kind (receipts, lines or interactions) as int columns, append-only: rows once written
 * are never changed in place, so a reader that holds a segment sees a consistent past even while the
 * feed appends to it (growing replaces the arrays, the old ones stay valid). A receipt segment has a
 * child segment of lines; a receipt row's lines start at its {@code LINES} column and end where the
 * next row's start (or at the end of the child).
 *
 * <p>Values that do not fit an int (a receipt above ¥21 million, a line of more than 32,766 items)
 * are stored as {@link #WIDE} with the real value in a side table: never in practice, always right.
 */
final class Segment {

    static final int WIDE = Integer.MIN_VALUE;

    final int width;
    final Segment lines;
    int[][] cols;
    int size;
    private Map<Long, Long> wide;

    Segment(int width, int capacity, Segment lines) {
        this.width = width;
        this.lines = lines;
        this.cols = new int[width][Math.max(capacity, 16)];
    }

    private Segment(Segment of) {
        this.width = of.width;
        this.lines = of.lines == null ? null : new Segment(of.lines);
        this.cols = of.cols.clone();
        this.size = of.size;
        this.wide = of.wide == null ? null : new HashMap<>(of.wide);
    }

    /**
     * A view of the rows written so far that later appends cannot disturb (they may grow into new
     * arrays; this view keeps the current ones). Take it under the index lock; read it without.
     */
    Segment frozen() {
        return new Segment(this);
    }

    int[] col(int c) {
        return cols[c];
    }

    /** Makes room for {@code more} rows; returns the index of the first new row. */
    int reserve(int more) {
        int need = size + more;
        if (need > cols[0].length) {
            int capacity = Math.max(need, cols[0].length + (cols[0].length >> 1));
            for (int c = 0; c < width; c++) {
                cols[c] = Arrays.copyOf(cols[c], capacity);
            }
        }
        int first = size;
        size = need;
        return first;
    }

    /** Shrinks the arrays to the rows held (after a bulk build). */
    void trim() {
        for (int c = 0; c < width; c++) {
            cols[c] = Arrays.copyOf(cols[c], Math.max(size, 1));
        }
        if (lines != null) {
            lines.trim();
        }
    }

    long value(int c, int row) {
        int v = cols[c][row];
        return v != WIDE ? v : wideValue(c, row);
    }

    long wideValue(int c, int row) {
        return wide.get(((long) c << 40) | row);
    }

    /** Stores a long in an int column, spilling to the side table when it does not fit. */
    void put(int c, int row, long value) {
        if (fitsInt(value)) {
            cols[c][row] = (int) value;
        } else {
            putWide(c, row, value);
        }
    }

    /** Whether a value is held in the column itself (not {@link #WIDE}, which marks a spilled one). */
    static boolean fitsInt(long value) {
        return value > Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
    }

    void putWide(int c, int row, long value) {
        cols[c][row] = WIDE;
        putSide(c, row, value);
    }

    /** Keeps a value in the side table only (the column holds its own marker, e.g. a wide quantity). */
    void putSide(int c, int row, long value) {
        if (wide == null) {
            wide = new HashMap<>();
        }
        wide.put(((long) c << 40) | row, value);
    }

    int lineStart(int row) {
        return cols[Receipts.LINES][row];
    }

    int lineEnd(int row) {
        return row + 1 < size ? cols[Receipts.LINES][row + 1] : lines.size;
    }

    /**
     * Copies one row (and, for receipts, its lines) from a segment, this one included, to the end of this
     * one. WHY THE LINES ARE FOUND FIRST: a row's lines end where the next row's begin, and the last row's
     * at the end of the lines; copying this segment's last row reserves a row after it first, which would
     * make that row's lines end where they start, and the copy would have none.
     */
    int copyRow(Segment from, int row) {
        int lineStart = lines == null ? 0 : from.lineStart(row);
        int lineEnd = lines == null ? 0 : from.lineEnd(row);
        int to = reserve(1);
        for (int c = 0; c < width; c++) {
            cols[c][to] = from.cols[c][row];
            Long spilled = from.wide == null ? null : from.wide.get(((long) c << 40) | row);
            if (spilled != null) {
                putSide(c, to, spilled);
            }
        }
        if (lines != null) {
            cols[Receipts.LINES][to] = lines.size;
            for (int l = lineStart; l < lineEnd; l++) {
                lines.copyRow(from.lines, l);
            }
        }
        return to;
    }

    long bytes() {
        long b = (long) width * cols[0].length * Integer.BYTES;
        return lines == null ? b : b + lines.bytes();
    }
}
