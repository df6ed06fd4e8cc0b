package app.regulars.imports;

import app.regulars.platform.TextEncoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.platform.ApiProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SheetsTest {

    @TempDir
    Path dir;

    @Test
    void readsGbkCsvAsExcelInChinaSavesIt() throws IOException {
        Path file = write("gbk.csv", "手机号,姓名,城市\n13800138000,张三,上海\n13900139000,李四,北京\n".getBytes("GBK"));
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(sheet.headers()).containsExactly("手机号", "姓名", "城市");
            List<SheetRow> rows = rows(sheet);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(1).cell(1)).isEqualTo("李四");
            assertThat(rows.get(1).cell(2)).isEqualTo("北京");
            assertThat(rows.get(0).number()).isEqualTo(2);
            assertThat(((CsvSheet) sheet).charset()).isEqualTo(TextEncoding.GB18030);
        }
    }

    @Test
    void gbkTextAfterTheFirst64KbOfAsciiIsStillRecognised() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("phone,name\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 5_000; i++) {
            bytes.write(("1380013%04d,Customer %d\n".formatted(i, i)).getBytes(StandardCharsets.US_ASCII));
        }
        bytes.write("13900139000,张三\n".getBytes("GBK"));
        try (Sheet sheet = Sheets.open(write("late-gbk.csv", bytes.toByteArray()))) {
            assertThat(rows(sheet).getLast().cell(1)).isEqualTo("张三");
        }
    }

    @Test
    void readsUtf8WithAndWithoutBom() throws IOException {
        byte[] text = "手机号,姓名\n13800138000,王五\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        bom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bom.write(text);
        for (Path file : List.of(write("plain.csv", text), write("bom.csv", bom.toByteArray()))) {
            try (Sheet sheet = Sheets.open(file)) {
                assertThat(sheet.headers()).containsExactly("手机号", "姓名");
                assertThat(rows(sheet).getFirst().cell(1)).isEqualTo("王五");
            }
        }
    }

    @Test
    void readsGzippedCsvAndSemicolonSeparators() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write("Invoice;StockCode;Quantity\n489434;85048;12\n489434;79323P;6\n".getBytes(StandardCharsets.UTF_8));
        }
        try (Sheet sheet = Sheets.open(write("sales.csv.gz", gz.toByteArray()))) {
            assertThat(sheet.headers()).containsExactly("Invoice", "StockCode", "Quantity");
            assertThat(rows(sheet)).extracting(r -> r.cell(1)).containsExactly("85048", "79323P");
        }
    }

    @Test
    void aFileThatIsNeitherUtf8NorGbkIsRefusedClearly() throws IOException {
        byte[] latin1 = "name,city\nJos\u00e9,S\u00e3o Paulo\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bad = new byte[latin1.length + 2];
        System.arraycopy(latin1, 0, bad, 0, latin1.length);
        bad[bad.length - 2] = (byte) 0xFF;
        bad[bad.length - 1] = (byte) 0xFF;
        assertThatThrownBy(() -> Sheets.open(write("latin1.csv", bad)))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("not UTF-8 or GBK text");
    }

    @Test
    void binaryAndOldExcelFilesAreRefusedWithAdvice() throws IOException {
        assertThatThrownBy(() -> Sheets.open(write("data.csv", new byte[] {1, 0, 2, 0, 3})))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("not UTF-8 or GBK text");
        byte[] ole = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
        assertThatThrownBy(() -> Sheets.open(write("old.xls", ole)))
                .isInstanceOf(ApiProblem.class).hasMessageContaining(".xlsx");
        assertThatThrownBy(() -> Sheets.open(write("zip.xlsx", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0})))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("not an XLSX");
    }

    @Test
    void aMergedHeaderOverTwoColumnsNamesEachByItsSecondHeaderRow() throws IOException {
        Path file = dir.resolve("merged.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            XSSFSheet s = wb.createSheet("销售");
            XSSFRow top = s.createRow(0);
            top.createCell(0).setCellValue("小票号");
            top.createCell(1).setCellValue("手机号");
            top.createCell(2).setCellValue("金额");
            s.addMergedRegion(new CellRangeAddress(0, 0, 2, 3));
            s.addMergedRegion(new CellRangeAddress(0, 1, 0, 0));
            s.addMergedRegion(new CellRangeAddress(0, 1, 1, 1));
            XSSFRow sub = s.createRow(1);
            sub.createCell(2).setCellValue("实付");
            sub.createCell(3).setCellValue("优惠");
            XSSFRow data = s.createRow(2);
            data.createCell(0).setCellValue("R-1");
            data.createCell(1).setCellValue(13800138000d);
            data.createCell(2).setCellValue(88.5);
            data.createCell(3).setCellValue(10);
            wb.write(out);
        }
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(sheet.headers()).containsExactly("小票号", "手机号", "金额/实付", "金额/优惠");
            assertThat(sheet.warnings()).isEmpty();
            SheetRow row = rows(sheet).getFirst();
            assertThat(row.number()).isEqualTo(3);
            assertThat(row.cell(1)).isEqualTo("13800138000");
            assertThat(row.cell(2)).isEqualTo("88.5");
            assertThat(HeaderRecognition.recognise(ImportType.RECEIPTS, sheet.headers()))
                    .containsExactly("receipt_no", "phone", "amount", "discount");
        }
    }

    @Test
    void aMergedHeaderWithoutSubHeadersIsReportedAsAmbiguous() throws IOException {
        Path file = dir.resolve("ambiguous.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            XSSFSheet s = wb.createSheet();
            XSSFRow top = s.createRow(0);
            top.createCell(0).setCellValue("单号");
            top.createCell(1).setCellValue("金额");
            s.addMergedRegion(new CellRangeAddress(0, 0, 1, 2));
            XSSFRow data = s.createRow(1);
            data.createCell(0).setCellValue("R-1");
            data.createCell(1).setCellValue(5);
            data.createCell(2).setCellValue(6);
            wb.write(out);
        }
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(sheet.headers()).containsExactly("单号", "金额 #1", "金额 #2");
            assertThat(sheet.warnings()).singleElement().asString().contains("B, C").contains("金额");
            assertThat(HeaderRecognition.recognise(ImportType.RECEIPTS, sheet.headers())).containsExactly("receipt_no", null, null);
            assertThat(rows(sheet)).hasSize(1);
        }
    }

    @Test
    void xlsxDatesComeOutAsIsoText() throws IOException {
        Path file = dir.resolve("dates.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            XSSFSheet s = wb.createSheet();
            s.createRow(0).createCell(0).setCellValue("日期");
            var style = wb.createCellStyle();
            style.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm"));
            var cell = s.createRow(1).createCell(0);
            cell.setCellValue(java.time.LocalDateTime.of(2024, 3, 15, 14, 30));
            cell.setCellStyle(style);
            wb.write(out);
        }
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(rows(sheet).getFirst().cell(0)).isEqualTo("2024-03-15 14:30:00");
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static List<SheetRow> rows(Sheet sheet) {
        List<SheetRow> out = new ArrayList<>();
        sheet.forEach(out::add);
        return out;
    }
}
