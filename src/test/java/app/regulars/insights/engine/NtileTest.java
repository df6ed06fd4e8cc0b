package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The histogram ntile gives exactly what sorting everyone by (value, ordinal) and cutting in five gives. */
class NtileTest {

    @Property(tries = 60, seed = "5")
    void theHistogramNtileIsTheSortedNtile(@ForAll @IntRange(min = 1, max = 3000) int customers,
                                           @ForAll @LongRange(min = 1, max = 1L << 40) long spread,
                                           @ForAll @IntRange(min = 0, max = 99) int seed) {
        java.util.Random random = new java.util.Random(seed);
        long[] value = new long[customers];
        long[] buyer = new long[customers];
        int buyers = 0;
        for (int c = 0; c < customers; c++) {
            if (random.nextInt(10) > 0) {
                buyer[c] = 1;
                buyers++;
                value[c] = random.nextInt(3) == 0 ? 7 : (long) (random.nextDouble() * spread);
            }
        }

        byte[] fast = Analytics.ntile(value, buyer, buyers);

        Integer[] order = IntStream.range(0, customers).filter(c -> buyer[c] > 0).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingLong(c -> value[c]).thenComparingInt(c -> c));
        byte[] sorted = new byte[customers];
        for (int pos = 0, bucket = 0, taken = 0; pos < order.length; pos++, taken++) {
            int size = buyers / 5 + (bucket < buyers % 5 ? 1 : 0);
            while (taken >= size) {
                bucket++;
                taken = 0;
                size = buyers / 5 + (bucket < buyers % 5 ? 1 : 0);
            }
            sorted[order[pos]] = (byte) (bucket + 1);
        }
        assertThat(fast).isEqualTo(sorted);
    }
}
