package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a 200,000-line, ten-column POS export takes to read: the merged-region pass alone, the
 * whole streamed read (which includes that pass), then each reader in a JVM of its own: streamed in
 * small heaps, and the in-memory reader it replaced in a heap it fits in, with what each keeps live. Prints; asserts only the row
 * counts — timings are no pass/fail threshold on a shared 2-core machine. Tagged bench: run it with
 * {@code ./regulars test -Dsurefire.excludedGroups= -Dgroups=bench -Dtest=XlsxReadThroughputTest}.
 */
@Tag("bench")
class XlsxReadThroughputTest {

    private static final int LINES = 200_000;

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandLinesStreamedAndInMemory() throws Exception {
        Path file = dir.resolve("pos.xlsx");
        PosExport.write(file, LINES, 11L, "B-", "S1");
        for (int run = 1; run <= 3; run++) {
            long t0 = System.nanoTime();
            int regions = mergedRegions(file);
            long t1 = System.nanoTime();
            long rows = 0;
            try (Sheet sheet = Sheets.open(file)) {
                for (SheetRow ignored : sheet) {
                    rows++;
                }
            }
            long t2 = System.nanoTime();
            System.out.printf("xlsx read %d: merged-region pass %.2f s (%d regions); streamed read %.2f s (%,d rows)%n", run,
                    (t1 - t0) / 1e9, regions, (t2 - t1) / 1e9, rows);
            assertThat(rows).isEqualTo(LINES);
            Sheets.Passes passes = new Sheets.Passes(file);
            long t3 = System.nanoTime();
            assertThat(count(passes.open())).isEqualTo(LINES);
            long t4 = System.nanoTime();
            assertThat(count(passes.open())).isEqualTo(LINES);
            long t5 = System.nanoTime();
            System.out.printf("xlsx read %d: an import's passes, first %.2f s, second (reusing the first's workbook) %.2f s%n",
                    run, (t4 - t3) / 1e9, (t5 - t4) / 1e9);
        }
        for (String[] probe : List.of(new String[] {"streaming", "32m"}, new String[] {"streaming", "24m"},
                new String[] {"user-model", "4g"})) { // at 1.5 GB it thrashed for 4 minutes, then ran out
            XlsxReadProbe.Outcome outcome = XlsxReadProbe.inOwnJvm(probe[0], file, LINES, probe[1], dir.resolve(probe[0] + ".log"));
            System.out.printf("xlsx read, %s with -Xmx%s: exit %d after %.1f s, %s%n", probe[0], probe[1], outcome.exit(),
                    outcome.seconds(), outcome.ranOutOfMemory() ? "OutOfMemoryError" : outcome.lastLine());
        }
        System.out.printf("xlsx read: file %,d bytes%n", Files.size(file));
    }

    private static long count(Sheet sheet) {
        try (sheet) {
            long rows = 0;
            for (SheetRow ignored : sheet) {
                rows++;
            }
            return rows;
        }
    }

    private static int mergedRegions(Path file) throws Exception {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader.SheetIterator sheets = new XSSFReader(pkg).getSheetIterator();
            sheets.next().close();
            PackagePart sheet = sheets.getSheetPart();
            return XlsxMerges.read(sheet).size();
        }
    }
}
