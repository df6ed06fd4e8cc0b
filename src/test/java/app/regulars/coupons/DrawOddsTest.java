package app.regulars.coupons;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/**
 * The draws' selection function simulated in memory: 100,000 draws with a fixed seed. The counts must
 * fit the configured odds by a chi-square goodness-of-fit test at the 0.1% significance level (a correct
 * function fails it one seed in a thousand; the seed is fixed, so the test is deterministic), and the
 * stock rule (out of stock: no prize) must never hand out more than the stock.
 */
class DrawOddsTest {

    private static final long SEED = 20261122L;
    private static final int DRAWS = 100_000;
    private static final double SIGNIFICANCE = 0.001;

    private static final List<DrawTable.Slot> TABLE = List.of(
            new DrawTable.Slot(1, 5_000),      // 0.5% 一等奖
            new DrawTable.Slot(2, 45_000),     // 4.5%
            new DrawTable.Slot(3, 200_000),    // 20%
            new DrawTable.Slot(4, 300_000));   // 30%; the remaining 45% wins nothing

    @Test
    void oneHundredThousandSimulatedDrawsMatchTheConfiguredOdds() {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<Long, Long> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            Long prize = DrawTable.pick(random.nextLong(), TABLE);
            counts.merge(prize == null ? 0L : prize, 1L, Long::sum);
        }
        long[] observed = new long[TABLE.size() + 1];
        double[] expected = new double[TABLE.size() + 1];
        long odds = 0;
        for (int i = 0; i < TABLE.size(); i++) {
            observed[i] = counts.getOrDefault(TABLE.get(i).prizeId(), 0L);
            expected[i] = (double) DRAWS * TABLE.get(i).oddsPpm() / DrawTable.PPM;
            odds += TABLE.get(i).oddsPpm();
        }
        observed[TABLE.size()] = counts.getOrDefault(0L, 0L);
        expected[TABLE.size()] = (double) DRAWS * (DrawTable.PPM - odds) / DrawTable.PPM;

        double p = new ChiSquareTest().chiSquareTest(expected, observed);
        System.out.printf("draw odds: observed %s, p-value %.4f%n", java.util.Arrays.toString(observed), p);
        assertThat(p).as("chi-square p-value").isGreaterThan(SIGNIFICANCE);
    }

    @Test
    void simulatedDrawsNeverHandOutMoreThanTheStock() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        Map<Long, Integer> stock = new HashMap<>(Map.of(1L, 10, 2L, 300, 3L, 5_000, 4L, 40_000));
        Map<Long, Integer> won = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            Long prize = DrawTable.pick(random.nextLong(), TABLE);
            if (prize != null && won.getOrDefault(prize, 0) < stock.get(prize)) {
                won.merge(prize, 1, Integer::sum);
            }
        }
        stock.forEach((prize, n) -> assertThat(won.getOrDefault(prize, 0)).isLessThanOrEqualTo(n));
        assertThat(won.get(1L)).isEqualTo(10); // 0.5% of 100k is ~500 picks: the small stock runs out
    }

    @Test
    void theSameRandomValueAlwaysPicksTheSamePrize() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < 1_000; i++) {
            long bits = random.nextLong();
            assertThat(DrawTable.pick(bits, TABLE)).isEqualTo(DrawTable.pick(bits, List.copyOf(TABLE)));
        }
        assertThat(DrawTable.ticket(0L)).isZero();
        assertThat(DrawTable.ticket(-1L)).isEqualTo(DrawTable.PPM - 1);
    }
}
