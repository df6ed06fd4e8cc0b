package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A 100,000-line POS export as XLSX ({@link PosExport}: merged 金额 header over 实付/优惠, times as
 * date-formatted numbers, phones as numbers, paid amounts as formulas, blank rows) through the normal
 * import path, checked against the counts taken while writing it; and the check pass reports progress
 * through the file as it goes, not all at the end.
 */
class XlsxImportTest extends IntegrationTest {

    private static final int LINES = 100_000;

    @Autowired Imports imports;
    @Autowired Catalog catalog;
    @Autowired JdbcClient db;

    @Test
    void aHundredThousandLineWorkbookImportsAndTheCountsMatchTheFile() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String store = TestStores.ensure(db, catalog, "XL-" + run);
        Path file = Files.createTempDirectory("xlsx-import").resolve("pos-" + run + ".xlsx");
        long written = System.nanoTime();
        PosExport.Expected expected = PosExport.write(file, LINES, 20261130L, "XL-" + run + "-", store);
        long started = System.nanoTime();
        List<Integer> checking = Collections.synchronizedList(new ArrayList<>());

        ImportJob job = imports.run(new ImportRequest(file, file.getFileName().toString(), null, null, null, null,
                ImportOptions.defaults(), "test"), (status, total, processed, applied, errors, percent) -> {
                    if (ImportJob.VALIDATING.equals(status)) {
                        checking.add(percent);
                    }
                });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("xlsx import: %,d lines (%,d bytes) written in %.1f s, imported in %.1f s = %,.0f lines/s; facts %s%n",
                LINES, Files.size(file), (started - written) / 1e9, seconds, LINES / seconds, job.facts());

        assertThat(job.status()).as("%s", job.message()).isEqualTo(ImportJob.DONE);
        assertThat(job.errorCount()).isZero();
        assertThat(job.totalRows()).isEqualTo(expected.lines());
        assertThat(job.appliedCount()).isEqualTo(expected.receipts());
        assertThat(job.facts()).containsEntry("receiptsInFile", (int) expected.receipts())
                .containsEntry("receiptsCreated", (int) expected.receipts())
                .containsEntry("lines", (int) expected.lines())
                .containsEntry("customers", (int) expected.customers());
        assertThat(((Number) job.facts().get("totalCents")).longValue()).isEqualTo(expected.cents());
        String source = "pos-" + run;
        assertThat(db.sql("select count(*), coalesce(sum(l.amount_cents), 0) from receipt_line l join receipt r on r.id = l.receipt_id"
                        + " where r.source = ?").param(source).query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                .containsExactly(expected.lines(), expected.cents());
        assertThat(checking).as("progress while checking: through the file, not only at its end")
                .isSorted().contains(0).anyMatch(p -> p > 10 && p < 40).allMatch(p -> p <= 50);
        Files.delete(file);
    }
}
