package app.regulars.insights.engine;

import java.util.Arrays;

/**
 * Customer-major rows of one kind (receipts with their lines, or interactions): customer ordinal
 * {@code c} owns rows {@code start[c] .. start[c] + count[c]} of either the base segment (built at
 * start-up, contiguous in ordinal order) or the delta segment (where the feed writes).
 *
 * <p>A new row never shifts anyone else's: the customer's rows are copied, with the new one merged
 * in by day, to the end of the delta, and the customer's location moves there (copy on write). A
 * background compaction folds the delta back into a fresh base when it grows past an eighth of the
 * base; see docs/decisions/0011-insights-engine.md. Callers hold the index's lock.
 */
final class CustomerRows {

    private final int width;
    private final int lineWidth;
    Segment base;
    Segment delta;
    int[] start;
    int[] count;
    byte[] inDelta;

    CustomerRows(int width, int lineWidth, Segment base, int[] start, int[] count) {
        this.width = width;
        this.lineWidth = lineWidth;
        this.base = base;
        this.delta = newSegment(1024);
        this.start = start;
        this.count = count;
        this.inDelta = new byte[start.length];
    }

    Segment newSegment(int capacity) {
        return new Segment(width, capacity, lineWidth == 0 ? null : new Segment(lineWidth, capacity * 3, null));
    }

    Segment segmentOf(int c) {
        return inDelta[c] != 0 ? delta : base;
    }

    void ensureCustomers(int n) {
        if (n > start.length) {
            int capacity = Math.max(n, start.length + (start.length >> 1) + 16);
            start = Arrays.copyOf(start, capacity);
            count = Arrays.copyOf(count, capacity);
            inDelta = Arrays.copyOf(inDelta, capacity);
        }
    }

    long rows() {
        long n = 0;
        for (int c = 0; c < start.length; c++) {
            n += count[c];
        }
        return n;
    }

    /** Adds rows of a staging segment (already in day order) to customer c, merged by day. */
    void append(int c, Segment staging, int[] rows) {
        Segment from = segmentOf(c);
        int oldStart = start[c];
        int oldEnd = oldStart + count[c];
        int at = delta.size;
        int i = oldStart;
        int j = 0;
        int[] oldDays = from.cols[Receipts.DAY];
        int[] newDays = staging.cols[Receipts.DAY];
        while (i < oldEnd || j < rows.length) {
            if (j >= rows.length || (i < oldEnd && oldDays[i] <= newDays[rows[j]])) {
                delta.copyRow(from, i++);
            } else {
                delta.copyRow(staging, rows[j++]);
            }
        }
        moveTo(c, at, delta.size - at);
    }

    /** The merged customer's rows join the survivor's, by day; the merged customer has none left. */
    void absorb(int survivor, int merged) {
        if (count[merged] == 0) {
            return;
        }
        Segment from = segmentOf(merged);
        int[] rows = new int[count[merged]];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = start[merged] + k;
        }
        append(survivor, from, rows);
        moveTo(merged, delta.size, 0); // its rows in the base are no longer its own: nothing may read them there

    }

    private void moveTo(int c, int at, int n) {
        start[c] = at;
        count[c] = n;
        inDelta[c] = 1;
    }

    boolean needsCompaction() {
        return delta.size > Math.max(200_000, base.size / 8);
    }

    /** Where every customer's rows were when a compaction began. */
    record Snapshot(int customers, Segment base, Segment delta, Segment deltaView, int[] start, int[] count,
                    byte[] inDelta) {}

    /** Taken under the index lock. */
    Snapshot snapshot(int customers) {
        return new Snapshot(customers, base, delta, delta.frozen(), Arrays.copyOf(start, customers),
                Arrays.copyOf(count, customers), Arrays.copyOf(inDelta, customers));
    }

    /** Builds a new base from a snapshot; needs no lock, because rows once written never change. */
    Compacted compact(Snapshot s) {
        long rows = 0;
        for (int c = 0; c < s.customers; c++) {
            rows += s.count[c];
        }
        Segment fresh = newSegment((int) rows);
        int[] newStart = new int[s.customers];
        for (int c = 0; c < s.customers; c++) {
            Segment from = s.inDelta[c] != 0 ? s.deltaView : s.base;
            newStart[c] = fresh.size;
            for (int r = s.start[c]; r < s.start[c] + s.count[c]; r++) {
                fresh.copyRow(from, r);
            }
        }
        fresh.trim();
        return new Compacted(s, fresh, newStart);
    }

    record Compacted(Snapshot snapshot, Segment base, int[] start) {}

    /**
     * Switches to the compacted base (under the write lock): customers whose rows moved since the
     * snapshot, and customers added since, are copied into a fresh delta; everyone else points into
     * the new base.
     */
    void install(Compacted done, int customers) {
        Snapshot s = done.snapshot();
        Segment fresh = newSegment(1024);
        for (int c = 0; c < customers; c++) {
            boolean unchanged = c < s.customers && s.start[c] == start[c] && s.count[c] == count[c]
                    && s.inDelta[c] == inDelta[c] && (inDelta[c] == 0 ? s.base == base : s.delta == delta);
            if (unchanged) {
                start[c] = done.start()[c];
                inDelta[c] = 0;
            } else {
                Segment from = segmentOf(c);
                int at = fresh.size;
                for (int r = start[c]; r < start[c] + count[c]; r++) {
                    fresh.copyRow(from, r);
                }
                start[c] = at;
                inDelta[c] = 1;
            }
        }
        base = done.base();
        delta = fresh;
    }

    /** The rows, and the per-customer columns that find them (start, count, inDelta). */
    long bytes() {
        return base.bytes() + delta.bytes() + 9L * start.length;
    }
}
