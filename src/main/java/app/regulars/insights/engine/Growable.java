package app.regulars.insights.engine;

import java.util.Arrays;

/** Growable primitive arrays for the bulk load: no boxing, one array per column. */
final class Growable {

    private Growable() {}

    static final class Ints {
        int[] a;
        int size;

        Ints(int capacity) {
            a = new int[Math.max(16, capacity)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length + (a.length >> 1));
            }
            a[size++] = v;
        }
    }

    static final class Longs {
        long[] a;
        int size;

        Longs(int capacity) {
            a = new long[Math.max(16, capacity)];
        }

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length + (a.length >> 1));
            }
            a[size++] = v;
        }
    }
}
