package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ImportsTest extends IntegrationTest {

    @Autowired Imports imports;
    @Autowired Catalog catalog;
    @Autowired JdbcClient db;
    @Autowired ImportJobs jobs;
    @Autowired org.springframework.context.MessageSource messages;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    String store;
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        store = TestStores.ensure(db, catalog, "S-" + run);
        dir = Files.createTempDirectory("imports-test");
    }

    @Test
    void aFileWithABadRowIsNotHalfApplied() throws IOException {
        Path file = csv("sales.csv", """
                小票号,门店,消费时间,手机号,商品编码,数量,单价
                R1-%1$s,%2$s,2024-03-01 10:00,13800000001,SKU-%1$s-A,1,10.00
                R2-%1$s,%2$s,2024-03-01 11:00,13800000002,SKU-%1$s-A,two,10.00
                R3-%1$s,%2$s,2024-03-01 12:00,,SKU-%1$s-B,1,5.50
                """);

        ImportJob job = run(file, ImportOptions.defaults());

        assertThat(job.status()).isEqualTo(ImportJob.REJECTED);
        assertThat(job.errorCount()).isEqualTo(1);
        assertThat(receipts()).isZero();
        assertThat(report(job)).containsExactly("行 row,列 column,原因 reason,代码 code,参数 argument",
                "3,数量,not a whole number,notWholeNumber,");
    }

    @Test
    void theErrorReportGivesItsReasonsInTheReadersLanguage() throws IOException {
        Path file = csv("reasons.csv", """
                小票号,门店,消费时间,手机号,商品编码,数量,单价
                Z1-%1$s,%2$s,2024-03-01 10:00,13800000001,SKU-%1$s-A,两件,10.00
                Z2-%1$s,%2$s,2024-03-01 11:00,13800000002,SKU-%1$s-A,1,10.00
                Z2-%1$s,%2$s,2024-03-01 11:05,13800000002,SKU-%1$s-B,1,10.00
                """);
        Path stored = imports.errorReport(run(file, ImportOptions.defaults()).id()).orElseThrow();

        assertThat(localized(stored, Locale.SIMPLIFIED_CHINESE)).containsExactly("行,列,原因",
                "2,数量,不是整数", "4,消费时间,与本小票第一行（第 3 行）不一致");
        assertThat(localized(stored, Locale.ENGLISH)).containsExactly("row,column,reason",
                "2,数量,not a whole number", "4,消费时间,differs from the first row of this receipt (row 3)");
        assertThat(String.join("\n", localized(stored, Locale.SIMPLIFIED_CHINESE))).doesNotContain("两件", "13800000001");
    }

    /**
     * What the receipts module refuses in pass 2 (pass 1 cannot know what is stored) keeps the intake's
     * English in the stored report, with the intake's code and argument; the console's copy reads it in
     * the reader's language, without the receipt numbers the English names.
     */
    @Test
    void refusalsOfTheReceiptsModuleReadInTheReadersLanguage() throws IOException {
        Path file = csv("refunds.csv", """
                小票号,门店,消费时间,手机号,商品编码,数量,单价,类型,原小票号,退货原因
                S1-%1$s,%2$s,2024-03-01 10:00,13800000001,SKU-%1$s-A,1,10.00,销售,,
                F1-%1$s,%2$s,2024-03-02 10:00,13800000001,SKU-%1$s-A,3,10.00,退货,S1-%1$s,size
                F2-%1$s,%2$s,2024-03-02 11:00,13800000001,SKU-%1$s-A,1,10.00,退货,NONE-%1$s,size
                """);

        ImportJob job = run(file, ImportOptions.defaults().withSkipInvalid(true));

        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(report(job)).containsExactly("行 row,列 column,原因 reason,代码 code,参数 argument",
                "3,数量,refunds 3 but only 1 of the 1 sold on receipt S1-%s are left to refund,purchases.refused.refundsTooMany,1"
                        .formatted(run),
                "4,原小票号,no receipt NONE-%s from source refunds,purchases.refused.noOriginal,".formatted(run));
        assertThat(localized(imports.errorReport(job.id()).orElseThrow(), Locale.SIMPLIFIED_CHINESE))
                .containsExactly("行,列,原因", "3,数量,超过原小票剩余可退的 1 件", "4,原小票号,同一来源中没有这张原小票");
        assertThat(localized(imports.errorReport(job.id()).orElseThrow(), Locale.ENGLISH)).containsExactly(
                "row,column,reason", "3,数量,more than the 1 left to refund on the original receipt",
                "4,原小票号,no such original receipt from this source");
        assertThat(imports.firstErrors(job.id(), 1, Locale.SIMPLIFIED_CHINESE))
                .containsExactly(new ImportError(3, "数量", "超过原小票剩余可退的 1 件"));
    }

    /**
     * Batches are applied by several writers at once. A refund whose sale is in the batch just before
     * its own must still find it: it goes to the writer of its sale, after it.
     */
    @Test
    void aRefundFindsItsSaleInTheBatchBeforeItsOwn() throws IOException {
        StringBuilder rows = new StringBuilder("小票号,门店,消费时间,手机号,商品编码,数量,单价,类型,原小票号\n");
        int perBatch = ImportRun.RECEIPTS_PER_BATCH;
        for (int block = 0; block < 2; block++) {
            for (int i = block * perBatch; i < (block + 1) * perBatch; i++) {
                rows.append("S%d-%%1$s,%%2$s,2024-03-01 10:00,139%08d,SKU-%%1$s-A,1,10.00,销售,\n".formatted(i, i % 700));
            }
            for (int i = block * perBatch; i < (block + 1) * perBatch; i++) {
                rows.append("F%d-%%1$s,%%2$s,2024-03-02 10:00,139%08d,SKU-%%1$s-A,1,10.00,退货,S%d-%%1$s\n"
                        .formatted(i, i % 700, i));
            }
        }

        ImportJob job = run(csv("sales-then-refunds.csv", rows.toString()), ImportOptions.defaults());

        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(job.errorCount()).isZero();
        assertThat(receipts()).isEqualTo(4L * perBatch);
        assertThat(db.sql("select count(*) from receipt where kind = 'refund' and receipt_no like ?").param("%-" + run)
                .query(Long.class).single()).isEqualTo(2L * perBatch);
    }

    @Test
    void aRejectedJobAndAnUnreadableFileSayWhyByCode() throws IOException {
        Path bad = csv("bad.csv", """
                小票号,门店,消费时间,手机号,商品编码,数量,单价
                M1-%1$s,%2$s,2024-03-01 10:00,13800000001,SKU-%1$s-A,two,10.00
                """);
        // A .gz cut off halfway: its header reads, its rows end in the middle of the stream.
        StringBuilder rows = new StringBuilder("小票号,门店,消费时间,手机号,商品编码,数量,单价\n");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            rows.append("G").append(random.nextInt()).append(',').append(store).append(",2024-03-01 10:00,,SKU-")
                    .append(random.nextInt(1000)).append(",1,").append(random.nextInt(10_000)).append(".00\n");
        }
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(packed)) {
            gzip.write(rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = packed.toByteArray();
        Path cut = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));

        ImportJob rejected = run(bad, ImportOptions.defaults());
        ImportJob unreadable = run(cut, ImportOptions.defaults());

        assertThat(rejected.message()).startsWith("the file has errors; nothing was imported");
        assertThat(rejected.messageCode()).isEqualTo("imports.message.hasErrors");
        assertThat(unreadable.status()).isEqualTo(ImportJob.REJECTED);
        assertThat(unreadable.messageCode()).startsWith("imports.file.");
        assertThat(messages.getMessage(unreadable.messageCode(), null, Locale.ENGLISH)).isEqualTo(unreadable.message());
        assertThat(messages.getMessage(unreadable.messageCode(), null, Locale.SIMPLIFIED_CHINESE))
                .isNotEqualTo(unreadable.message());
    }

    @Test
    void reImportingTheSameFileDuplicatesNothing() throws IOException {
        Path file = csv("weekly.csv", """
                Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID
                A-%1$s,SKU-%1$s-A,Mug,2,2024-03-01 10:00:00,3.50,C-%1$s
                A-%1$s,SKU-%1$s-B,Plate,1,2024-03-01 10:00:00,4.00,C-%1$s
                B-%1$s,SKU-%1$s-A,Mug,1,2024-03-02 09:30:00,3.50,
                """);
        ImportOptions options = ImportOptions.defaults().withStore(store);

        ImportJob first = run(file, options);
        ImportJob second = run(file, options);

        assertThat(first.status()).isEqualTo(ImportJob.DONE);
        assertThat(first.facts()).containsEntry("receiptsCreated", 2).containsEntry("lines", 3)
                .containsEntry("totalCents", 1450).containsEntry("customers", 1);
        assertThat(second.status()).isEqualTo(ImportJob.DONE);
        assertThat(second.facts()).containsEntry("receiptsCreated", 0).containsEntry("receiptsAlreadyThere", 2);
        assertThat(receipts()).isEqualTo(2);
        assertThat(db.sql("select count(*) from receipt_line l join receipt r on r.id = l.receipt_id where r.receipt_no like ?")
                .param("%-" + run).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void skipInvalidAppliesTheGoodRowsAndReportsTheBadOnesByRowAndColumn() throws IOException {
        Path file = csv("mixed.csv", """
                订单号,门店编码,下单时间,手机,商品编码,数量,实付金额
                G1-%1$s,%2$s,2024-03-01 10:00,13800000011,SKU-%1$s-A,2,20.00
                G2-%1$s,%2$s,2024-03-01 10:05,13800000012,SKU-%1$s-A,1,10.00
                G2-%1$s,%2$s,2024-03-01 10:05,13800000012,SKU-%1$s-B,1,abc
                G3-%1$s,NOPE-%1$s,2024-03-01 10:10,,SKU-%1$s-A,1,10.00
                G4-%1$s,%2$s,yesterday,,SKU-%1$s-A,1,10.00
                G5-%1$s,%2$s,2024-03-01 10:20,12,SKU-%1$s-C,3,9.99
                """);

        ImportJob withStoreColumn = run(file, ImportOptions.defaults().withSkipInvalid(true));

        assertThat(withStoreColumn.status()).isEqualTo(ImportJob.DONE);
        assertThat(withStoreColumn.appliedCount()).isEqualTo(1);
        assertThat(withStoreColumn.errorCount()).isEqualTo(4);
        assertThat(report(withStoreColumn)).containsExactly("行 row,列 column,原因 reason,代码 code,参数 argument",
                "4,实付金额,not an amount of money,notMoney,",
                "5,门店编码,no store with this code,noSuchStore,",
                "6,下单时间,not a date (write 2024-03-15 or 2024-03-15 14:30 or give the date format),notDate,",
                "7,手机,not a phone number,notPhone,");
        assertThat(receipts()).isEqualTo(1);
    }

    @Test
    void anInterruptedImportIsCompletedByImportingTheSameFileAgain() throws IOException {
        String body = """
                小票号,门店,消费时间,会员卡号,商品编码,数量,单价
                K1-%1$s,%2$s,2024-03-01 10:00,CARD-%1$s,SKU-%1$s-A,1,10.00
                K2-%1$s,%2$s,2024-03-01 11:00,CARD-%1$s,SKU-%1$s-A,2,10.00
                K3-%1$s,%2$s,2024-03-01 12:00,,SKU-%1$s-B,1,5.50
                """;
        String[] lines = body.formatted(run, store).split("\n");
        // What a crash after the first batch leaves behind: the first receipts stored under the file's source.
        Path partial = Files.writeString(dir.resolve("partial.csv"), lines[0] + "\n" + lines[1] + "\n");
        Path full = csv("daily.csv", body);
        ImportOptions options = ImportOptions.defaults().withSource("daily-" + run);

        ImportJob crashed = run(partial, options);
        ImportJob rerun = run(full, options);

        assertThat(crashed.appliedCount()).isEqualTo(1);
        assertThat(rerun.status()).isEqualTo(ImportJob.DONE);
        assertThat(rerun.facts()).containsEntry("receiptsCreated", 2).containsEntry("receiptsAlreadyThere", 1);
        assertThat(receipts()).isEqualTo(3);
    }

    @Test
    void anXlsxWithAMergedAmountHeaderImportsPaidAndDiscountColumns() throws IOException {
        Path file = dir.resolve("pos.xlsx");
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             java.io.OutputStream out = Files.newOutputStream(file)) {
            var sheet = wb.createSheet();
            var top = sheet.createRow(0);
            String[] heads = {"单号", "门店", "日期", "货号", "数量", "单价", "金额"};
            for (int c = 0; c < heads.length; c++) {
                top.createCell(c).setCellValue(heads[c]);
                if (c < 6) {
                    sheet.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(0, 1, c, c));
                }
            }
            sheet.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(0, 0, 6, 7));
            var sub = sheet.createRow(1);
            sub.createCell(6).setCellValue("实付");
            sub.createCell(7).setCellValue("优惠");
            var row = sheet.createRow(2);
            row.createCell(0).setCellValue("X1-" + run);
            row.createCell(1).setCellValue(store);
            row.createCell(2).setCellValue("2024-03-01 10:00");
            row.createCell(3).setCellValue("SKU-" + run);
            row.createCell(4).setCellValue(3);
            row.createCell(5).setCellValue(10);
            row.createCell(6).setCellValue(25);
            row.createCell(7).setCellValue(5);
            wb.write(out);
        }

        ImportJob job = run(file, ImportOptions.defaults());

        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(job.facts()).containsEntry("totalCents", 2500);
        assertThat(db.sql("select l.discount_cents from receipt_line l join receipt r on r.id = l.receipt_id where r.receipt_no = ?")
                .param("X1-" + run).query(Long.class).single()).isEqualTo(500);
    }

    @Test
    void anImportLeftRunningByAStoppedProcessSaysHowToCompleteIt() {
        long id = db.sql("""
                        insert into import_job (type, file_name, stored_path, status, mapping, options, created_at,
                                                heartbeat_at, created_by)
                        values ('receipts', 'old.csv', '/nowhere/old.csv', 'applying', '{}', '{}', now() - interval '1 hour',
                                now() - interval '10 minutes', 'test') returning id""").query(Long.class).single();

        imports.markAbandoned();

        ImportJob job = imports.job(id).orElseThrow();
        assertThat(job.status()).isEqualTo(ImportJob.FAILED);
        assertThat(job.message()).contains("import the same file again").contains("nothing is duplicated");
    }

    @Test
    void aJobWhoseProcessDiedIsMarkedAtOnceWhileOneStillRunningIsNot() {
        long dead = applyingJobThatBeatJustNow();
        long alive = applyingJobThatBeatJustNow();

        try (ImportJobs.Running _ = jobs.running(alive)) {
            imports.markAbandoned();

            assertThat(imports.job(dead).orElseThrow().status()).isEqualTo(ImportJob.FAILED);
            assertThat(imports.job(alive).orElseThrow().status()).isEqualTo(ImportJob.APPLYING);
        }
        imports.markAbandoned();
        assertThat(imports.job(alive).orElseThrow().status()).as("once its process lets go").isEqualTo(ImportJob.FAILED);
    }

    private long applyingJobThatBeatJustNow() {
        return db.sql("""
                        insert into import_job (type, file_name, stored_path, status, mapping, options, created_at,
                                                heartbeat_at, created_by)
                        values ('receipts', 'now.csv', '/nowhere/now.csv', 'applying', '{}', '{}', now(), now(), 'test')
                        returning id""").query(Long.class).single();
    }

    @Test
    void aCsvBrokenHalfwayIsRejectedWithNothingApplied() throws IOException {
        Path file = csv("broken.csv", """
                小票号,门店,消费时间,商品编码,数量,单价
                B1-%1$s,%2$s,2024-03-01 10:00,SKU-%1$s,1,10.00
                B2-%1$s,%2$s,2024-03-01 10:00,"SKU-%1$s,1,10.00
                """);

        ImportJob job = run(file, ImportOptions.defaults());

        assertThat(job.status()).isEqualTo(ImportJob.REJECTED);
        assertThat(job.errorCount()).isPositive();
        assertThat(receipts()).isZero();
    }

    @Test
    void aFileWhoseTypeCannotBeGuessedIsRefusedBeforeAnyJob() throws IOException {
        Path file = csv("what.csv", "foo,bar\n1,2\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(file, ImportOptions.defaults()))
                .hasMessageContaining("type");
    }

    @Test
    void productsAreUpsertedThroughTheCatalog() throws IOException {
        Path file = csv("products.csv", """
                货号,品名,品牌,售价,消耗品
                P-%1$s-1,洁面乳,Acme,89.00,是
                P-%1$s-2,保温杯,Acme,129,否
                """);

        ImportJob job = run(file, ImportOptions.defaults());

        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(job.appliedCount()).isEqualTo(2);
        assertThat(catalog.skuByCode("P-" + run + "-2")).get()
                .satisfies(s -> {
                    assertThat(s.priceCents()).isEqualTo(12900);
                    assertThat(s.consumable()).isFalse();
                });
    }

    private ImportJob run(Path file, ImportOptions options) {
        return imports.run(new ImportRequest(file, file.getFileName().toString(), null, null, null, null, options, "test"),
                (s, t, p, a, e, pc) -> { });
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text.formatted(run, store), StandardCharsets.UTF_8);
    }

    private long receipts() {
        return db.sql("select count(*) from receipt where receipt_no like ?").param("%-" + run).query(Long.class).single();
    }

    private List<String> localized(Path stored, Locale locale) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        imports.writeErrorReport(stored, locale, out);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[0] & 0xff).isEqualTo(0xEF);
        return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
    }

    private List<String> report(ImportJob job) throws IOException {
        Path path = imports.errorReport(job.id()).orElseThrow();
        byte[] bytes = Files.readAllBytes(path);
        assertThat(bytes[0] & 0xff).isEqualTo(0xEF);
        return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
    }
}
