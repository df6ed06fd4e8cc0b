package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Appends move a customer's rows (merged by day) without touching anyone else's; compaction keeps them. */
class CustomerRowsTest {

    /** A receipt segment with one line per receipt whose SKU is ten times the day, for checking. */
    private static Segment receipts(int... days) {
        Segment s = new Segment(Receipts.WIDTH, 4, new Segment(Receipts.LINE_WIDTH, 4, null));
        for (int day : days) {
            int r = s.reserve(1);
            s.cols[Receipts.DAY][r] = day;
            s.put(Receipts.AMOUNT, r, day == 7 ? 5_000_000_000L : day * 100L);
            s.cols[Receipts.LINES][r] = s.lines.size;
            int l = s.lines.reserve(1);
            s.lines.cols[Receipts.SKU][l] = day * 10;
        }
        return s;
    }

    private static List<String> rowsOf(CustomerRows rows, int c) {
        Segment s = rows.segmentOf(c);
        List<String> out = new ArrayList<>();
        for (int r = rows.start[c]; r < rows.start[c] + rows.count[c]; r++) {
            out.add(s.cols[Receipts.DAY][r] + ":" + s.value(Receipts.AMOUNT, r) + ":"
                    + s.lines.cols[Receipts.SKU][s.lineStart(r)] + "x" + (s.lineEnd(r) - s.lineStart(r)));
        }
        return out;
    }

    @Test
    void anAppendMergesByDayAndACompactionKeepsEveryonesRows() {
        CustomerRows rows = new CustomerRows(Receipts.WIDTH, Receipts.LINE_WIDTH, receipts(1, 3, 2), new int[] {0, 2},
                new int[] {2, 1});

        rows.append(0, receipts(2, 7), new int[] {0, 1});
        CustomerRows.Snapshot snapshot = rows.snapshot(2);
        CustomerRows.Compacted compacted = rows.compact(snapshot);
        rows.append(1, receipts(5), new int[] {0}); // arrives while the compaction runs
        rows.install(compacted, 2);

        assertThat(rowsOf(rows, 0)).containsExactly("1:100:10x1", "2:200:20x1", "3:300:30x1", "7:5000000000:70x1");
        assertThat(rowsOf(rows, 1)).containsExactly("2:200:20x1", "5:500:50x1");
        assertThat(rows.inDelta[0]).as("unchanged since the snapshot: in the new base").isZero();
        assertThat(rows.inDelta[1]).as("moved meanwhile: kept in the fresh delta").isOne();
    }

    @Test
    void aMergedCustomersRowsJoinTheSurvivorsByDay() {
        CustomerRows rows = new CustomerRows(Receipts.WIDTH, Receipts.LINE_WIDTH, receipts(1, 4, 2), new int[] {0, 2},
                new int[] {2, 1});

        rows.absorb(0, 1);

        assertThat(rowsOf(rows, 0)).containsExactly("1:100:10x1", "2:200:20x1", "4:400:40x1");
        assertThat(rows.count[1]).isZero();
    }
}
