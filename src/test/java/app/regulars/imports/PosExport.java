package app.regulars.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A chain's POS export as Excel writes it, for tests of large XLSX files: one line per row, ten
 * columns, the amount header merged over 实付/优惠 with a second header row, times as date-formatted
 * numbers, phones as numbers, the paid amount as a formula with its cached value, text in the shared
 * strings table, a blank row now and then. Written with SXSSF, so the test JVM does not hold the sheet
 * either; {@link Expected} is counted while writing, without the import code.
 */
final class PosExport {

    private PosExport() {}

    /** What the file holds: data rows (= lines), receipts, the sum of the paid amounts, distinct phones. */
    record Expected(long lines, long receipts, long cents, long customers) {}

    static final String[] HEADERS = {"小票号", "门店", "消费时间", "手机号", "商品编码", "商品名称", "数量", "单价", "金额"};

    static Expected write(Path file, int lines, long seed, String receiptPrefix, String store) throws IOException {
        Random random = new Random(seed);
        Set<Long> phones = new HashSet<>();
        long receipts = 0;
        long cents = 0;
        // Shared strings as Excel writes them; 100 rows in memory while writing.
        try (SXSSFWorkbook wb = new SXSSFWorkbook(null, 100, true, true); OutputStream out = Files.newOutputStream(file)) {
            SXSSFSheet sheet = wb.createSheet("销售明细");
            CellStyle time = wb.createCellStyle();
            time.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            header(sheet);
            int r = 2;
            int written = 0;
            while (written < lines) {
                long receipt = receipts++;
                long phone = random.nextInt(5) == 0 ? 0 : 13_900_000_000L + random.nextInt(3_000);
                if (phone != 0) {
                    phones.add(phone);
                }
                LocalDateTime at = LocalDateTime.of(2024, 1 + (int) (receipt % 12), 1 + (int) (receipt % 28), 8 + random.nextInt(13),
                        random.nextInt(60), random.nextInt(60));
                int count = Math.min(1 + random.nextInt(5), lines - written);
                int sku = random.nextInt(400);
                for (int l = 0; l < count; l++) {
                    if (random.nextInt(500) == 0) {
                        sheet.createRow(r++); // a blank row: skipped, its number still counts
                    }
                    cents += line(sheet.createRow(r++), random, receiptPrefix + receipt, store, at, time, phone, (sku + l) % 400);
                }
                written += count;
            }
            wb.write(out);
        }
        return new Expected(lines, receipts, cents, phones.size());
    }

    private static void header(SXSSFSheet sheet) {
        Row top = sheet.createRow(0);
        for (int c = 0; c < HEADERS.length; c++) {
            top.createCell(c).setCellValue(HEADERS[c]);
            if (c < 8) {
                sheet.addMergedRegion(new CellRangeAddress(0, 1, c, c));
            }
        }
        sheet.addMergedRegion(new CellRangeAddress(0, 0, 8, 9)); // 金额 over the last two columns
        Row sub = sheet.createRow(1);
        sub.createCell(8).setCellValue("实付");
        sub.createCell(9).setCellValue("优惠");
    }

    /** Writes one line; returns its paid amount in cents. */
    private static long line(Row row, Random random, String receiptNo, String store, LocalDateTime at, CellStyle time,
                             long phone, int sku) {
        int quantity = 1 + random.nextInt(3);
        int priceCents = 100 + random.nextInt(9_900);
        int discountCents = random.nextInt(4) == 0 ? random.nextInt(priceCents) : 0;
        long paid = (long) quantity * priceCents - discountCents;
        int r = row.getRowNum() + 1;
        row.createCell(0).setCellValue(receiptNo);
        row.createCell(1).setCellValue(store);
        row.createCell(2).setCellValue(at);
        row.getCell(2).setCellStyle(time);
        if (phone != 0) {
            row.createCell(3).setCellValue(phone);
        }
        row.createCell(4).setCellValue("SKU-" + sku);
        row.createCell(5).setCellValue("商品 " + sku);
        row.createCell(6).setCellValue(quantity);
        row.createCell(7).setCellValue(priceCents / 100.0);
        row.createCell(8).setCellFormula("G" + r + "*H" + r + "-J" + r);
        row.getCell(8).setCellValue(paid / 100.0); // the value Excel cached when it last calculated
        row.createCell(9).setCellValue(discountCents / 100.0);
        return paid;
    }
}
