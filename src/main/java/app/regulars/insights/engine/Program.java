package app.regulars.insights.engine;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * A compiled rule: a tree of nodes that evaluate a block of customers at a time into primitive
 * arrays (numbers as doubles with NaN for "no value", texts as dictionary codes with 0 for none,
 * conditions as bit words). One program per evaluating thread: nodes own their scratch arrays, so
 * the loop over customers allocates nothing.
 */
final class Program {

    static final int BLOCK = 1024;
    static final int WORDS = BLOCK / 64;

    private final Nodes.Cond root;
    private final CustomerIndex index;
    private final Nodes.BlockMetrics metrics;

    Program(Nodes.Cond root, CustomerIndex index, Nodes.BlockMetrics metrics) {
        this.root = root;
        this.index = index;
        this.metrics = metrics;
    }

    /**
     * The living customers among {@code only} for whom the rule holds: runs of consecutive ordinals
     * are evaluated together, so the cost follows the customers asked about, not the index.
     */
    RoaringBitmap runOn(RoaringBitmap only) {
        RoaringBitmapWriter<RoaringBitmap> out = RoaringBitmapWriter.writer().constantMemory().get();
        long[] bits = new long[WORDS];
        org.roaringbitmap.PeekableIntIterator it = only.getIntIterator();
        int size = index.size;
        while (it.hasNext()) {
            int start = it.next();
            if (start >= size) {
                break;
            }
            int n = 1;
            while (n < BLOCK && it.hasNext() && it.peekNext() == start + n && start + n < size) {
                it.next();
                n++;
            }
            Arrays.fill(bits, 0);
            metrics.block(start, n);
            root.eval(start, n, bits);
            addMatches(out, bits, start, n);
        }
        return out.get();
    }

    /**
     * The living customers for whom the rule holds, in the chunks of {@link #CHUNK} ordinals this
     * thread takes from {@code next} while another thread takes the rest: the rows are not spread
     * evenly (old customers have more), so fixed halves left one thread idle for much of the time.
     */
    RoaringBitmap runChunks(AtomicInteger next, int size) {
        RoaringBitmapWriter<RoaringBitmap> out = RoaringBitmapWriter.writer().constantMemory().get();
        for (int from = next.getAndIncrement() * CHUNK; from < size; from = next.getAndIncrement() * CHUNK) {
            runInto(out, from, Math.min(size, from + CHUNK));
        }
        return out.get();
    }

    static final int CHUNK = 16 * BLOCK;

    private void runInto(RoaringBitmapWriter<RoaringBitmap> out, int from, int to) {
        long[] bits = new long[WORDS];
        for (int b = from; b < to; b += BLOCK) {
            int n = Math.min(BLOCK, to - b);
            Arrays.fill(bits, 0);
            metrics.block(b, n);
            root.eval(b, n, bits);
            addMatches(out, bits, b, n);
        }
    }

    /** The living customers of the block's set bits: a word at a time, visiting only the bits set. */
    private void addMatches(RoaringBitmapWriter<RoaringBitmap> out, long[] bits, int from, int n) {
        for (int w = 0; w << 6 < n; w++) {
            int rows = n - (w << 6);
            long word = rows >= 64 ? bits[w] : bits[w] & ((1L << rows) - 1);
            while (word != 0) {
                int c = from + (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (index.isAlive(c)) {
                    out.add(c);
                }
            }
        }
    }
}
