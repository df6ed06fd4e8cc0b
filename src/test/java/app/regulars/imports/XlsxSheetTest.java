package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.platform.ApiProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * The streaming reader reads what the in-memory reader it replaced ({@link UserModelXlsxSheet}) read:
 * the same headers, warnings, row numbers and cell texts, on random workbooks with merged headers,
 * sub-header rows, blank and missing rows, every cell type, date formats, formulas with and without
 * cached values, column default styles, shared and inline strings and 1904 dates. Then what only the
 * sheet XML can show (rows and cells without references, phonetic guides, prefixed namespaces).
 */
class XlsxSheetTest {

    private static final String[] TEXTS = {"单号", "门店", "金额", "日期", "手机号", " 数量 ", "Amount", "", " ", "实付", "优惠",
        "13800138000", "_x0041_pple", "R-1", "a\nb"};
    private static final String[] FORMATS = {"yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy/m/d h:mm:ss", "hh:mm", "0.00", "#,##0",
        "@", "General", "[$-F800]dddd, mmmm dd, yyyy", "yyyy\"年\"m\"月\"d\"日\""};

    @Property(tries = 150, seed = "20261130", edgeCases = EdgeCasesMode.NONE)
    void streamingReadsWhatTheInMemoryReaderRead(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        Path file = Files.createTempFile("random", ".xlsx");
        try {
            boolean streamingWriter = random.nextInt(3) == 0;
            try (Workbook wb = streamingWriter ? new SXSSFWorkbook(new XSSFWorkbook(), 20, false, random.nextBoolean())
                    : new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
                fill(wb, random, !streamingWriter && random.nextInt(5) == 0);
                wb.write(out);
            }
            assertThat(read(file, XlsxSheet::open)).as("seed %d", seed).isEqualTo(read(file, UserModelXlsxSheet::open));
        } finally {
            Files.delete(file);
        }
    }

    /** What a reader gives for a file: headers, warnings and rows, or the refusal it gave. */
    private record Read(List<String> headers, List<?> warnings, List<String> rows, String refused) {}

    private interface Opener {
        Sheet open(Path file);
    }

    private static Read read(Path file, Opener opener) {
        try (Sheet sheet = opener.open(file)) {
            List<String> rows = new ArrayList<>();
            for (SheetRow row : sheet) {
                rows.add(row.number() + ": " + Arrays.toString(row.cells()));
            }
            return new Read(sheet.headers(), sheet.warnings(), rows, null);
        } catch (ApiProblem e) {
            return new Read(null, null, null, e.getMessage());
        }
    }

    private static void fill(Workbook wb, Random random, boolean date1904) {
        if (date1904) {
            ((XSSFWorkbook) wb).getCTWorkbook().getWorkbookPr().setDate1904(true);
        }
        var sheet = wb.createSheet();
        List<CellStyle> styles = new ArrayList<>();
        for (String format : FORMATS) {
            CellStyle style = wb.createCellStyle();
            style.setDataFormat(wb.createDataFormat().getFormat(format));
            styles.add(style);
        }
        CellStyle builtinDate = wb.createCellStyle();
        builtinDate.setDataFormat((short) 14);
        styles.add(builtinDate);
        int width = 2 + random.nextInt(6);
        if (random.nextInt(4) == 0) {
            sheet.setDefaultColumnStyle(random.nextInt(width), styles.get(random.nextInt(styles.size())));
        }
        int headerRow = random.nextInt(3);
        for (int r = 0; r < headerRow; r++) {
            if (random.nextBoolean()) {
                sheet.createRow(r).createCell(random.nextInt(width)).setCellValue(random.nextBoolean() ? " " : "");
            }
        }
        Row top = sheet.createRow(headerRow);
        for (int c = 0; c < width; c++) {
            if (random.nextInt(5) > 0) {
                top.createCell(c).setCellValue(TEXTS[random.nextInt(7)] + (random.nextBoolean() ? c : ""));
            }
        }
        List<Integer> spanned = merge(sheet, random, headerRow, width);
        int next = headerRow + 1;
        if (!spanned.isEmpty() && random.nextInt(3) > 0) {
            Row sub = sheet.createRow(next++);
            for (int c : spanned) {
                if (random.nextInt(8) > 0) {
                    sub.createCell(c).setCellValue(TEXTS[9 + random.nextInt(2)] + c);
                }
            }
        }
        int rows = random.nextInt(25);
        for (int i = 0; i < rows; i++) {
            next += random.nextInt(6) == 0 ? 2 : 1;
            Row row = sheet.createRow(next);
            int cells = random.nextInt(width + 2);
            for (int c = 0; c < cells; c++) {
                if (random.nextInt(5) > 0) {
                    cell(row.createCell(c), random, styles, wb);
                }
            }
        }
    }

    /** Random merged regions in the header row; returns the columns spanned by horizontal ones. */
    private static List<Integer> merge(org.apache.poi.ss.usermodel.Sheet sheet, Random random, int headerRow, int width) {
        List<Integer> spanned = new ArrayList<>();
        int c = 0;
        while (c < width) {
            int kind = random.nextInt(6);
            if (kind == 0 && c + 1 <= width) { // two or three columns, possibly past the last written header
                int last = c + 1 + random.nextInt(2);
                sheet.addMergedRegion(new CellRangeAddress(headerRow, headerRow, c, last));
                for (int s = c; s <= last; s++) {
                    spanned.add(s);
                }
                c = last + 1;
            } else if (kind == 1) { // down over a possible sub-header row
                sheet.addMergedRegion(new CellRangeAddress(headerRow, headerRow + 1, c, c));
                c++;
            } else {
                c++;
            }
        }
        return spanned;
    }

    private static void cell(Cell cell, Random random, List<CellStyle> styles, Workbook wb) {
        CellStyle style = styles.get(random.nextInt(styles.size()));
        switch (random.nextInt(12)) {
            case 0 -> cell.setCellValue(TEXTS[random.nextInt(TEXTS.length)]);
            case 1 -> cell.setCellValue(List.of(13800138000d, 88.5, 0.1 + 0.2, -12.0, 1e20, 1e-7, 3.0, 1234567.891)
                    .get(random.nextInt(8)));
            case 2 -> {
                cell.setCellValue(LocalDateTime.of(1990 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28),
                        random.nextBoolean() ? 0 : random.nextInt(24), random.nextInt(60), random.nextInt(60)));
                cell.setCellStyle(style);
            }
            case 3 -> {
                cell.setCellValue(random.nextDouble() * (random.nextBoolean() ? 1 : 50_000));
                cell.setCellStyle(style);
            }
            case 4 -> cell.setCellValue(random.nextBoolean());
            case 5 -> {
                cell.setCellFormula("1+1");
                cell.setCellValue(random.nextInt(100) / 4.0);
            }
            case 6 -> {
                cell.setCellFormula("\"a\"&\"b\"");
                cell.setCellValue(TEXTS[random.nextInt(TEXTS.length)]);
            }
            case 7 -> {
                cell.setCellFormula("1/0");
                if (random.nextBoolean()) {
                    cell.setCellErrorValue(FormulaError.DIV0.getCode());
                } else {
                    cell.setCellValue(random.nextBoolean());
                }
            }
            case 8 -> cell.setCellFormula("A1*2"); // never calculated: no cached value
            case 9 -> cell.setCellStyle(style); // blank, written for its style
            case 10 -> {
                cell.setCellValue(45_000 + random.nextInt(1000) + (random.nextBoolean() ? 0 : 0.5));
                cell.setCellStyle(null); // the column's default style applies, if it has one
            }
            default -> {
                if (wb instanceof XSSFWorkbook x) {
                    XSSFRichTextString rich = new XSSFRichTextString("金额合计 total");
                    XSSFFont bold = x.createFont();
                    bold.setBold(true);
                    rich.applyFont(0, 2, bold);
                    cell.setCellValue(rich);
                } else {
                    cell.setCellValue(" 门店 ");
                }
            }
        }
    }

    // ---- what only the sheet XML shows ----------------------------------------------------------------

    @Example
    void rowsAndCellsWithoutReferencesFollowTheOnesBefore() throws IOException {
        Path file = withSheetXml("""
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row><c t="inlineStr"><is><t>单号</t></is></c><c t="inlineStr"><is><t>数量</t></is></c></row>
                <row><c t="inlineStr"><is><t>R-1</t></is></c><c><v>2</v></c></row>
                <row r="5"><c r="B5"><v>3</v></c></row>
                <row><c t="inlineStr"><is><t>R-3</t></is></c><c><v>4</v></c></row>
                </sheetData></worksheet>""");
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(sheet.headers()).containsExactly("单号", "数量");
            assertThat(rows(sheet)).containsExactly("2: [R-1, 2]", "5: [null, 3]", "6: [R-3, 4]");
        }
    }

    @Example
    void inlineTextLeavesPhoneticGuidesOutAndJoinsRuns() throws IOException {
        Path file = withSheetXml("""
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t>氏名</t><rPh sb="0" eb="2"><t>シメイ</t></rPh></is></c>
                <c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>金</t></r><r><t xml:space="preserve">额 </t></r></is></c></row>
                <row r="2"><c r="A2" t="inlineStr"><is><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></is></c>
                <c r="B2" t="d"><v>2024-03-15T14:30:00</v></c></row>
                </sheetData></worksheet>""");
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(sheet.headers()).containsExactly("氏名", "金额");
            assertThat(rows(sheet)).containsExactly("2: [山田, 2024-03-15T14:30:00]");
        }
    }

    /** Some writers (.NET's) prefix the main namespace: the reader goes by local names, as XML means it to. */
    @Example
    void aPrefixedNamespaceReadsTheSame() throws IOException {
        Path file = withSheetXml("""
                <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
                <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>单号</x:t></x:is></x:c>
                <x:c r="B1" t="inlineStr"><x:is><x:t>金额</x:t></x:is></x:c></x:row>
                <x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>实付</x:t></x:is></x:c>
                <x:c r="C2" t="inlineStr"><x:is><x:t>优惠</x:t></x:is></x:c></x:row>
                <!-- a comment -->
                <x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>R-1</x:t></x:is></x:c><x:c r="B3"><x:v>9</x:v></x:c>
                <x:c r="C3"><x:v>1</x:v></x:c></x:row>
                </x:sheetData><x:mergeCells count="1"><x:mergeCell ref="B1:C1"/></x:mergeCells></x:worksheet>""");
        try (Sheet sheet = Sheets.open(file)) {
            assertThat(sheet.headers()).containsExactly("单号", "金额/实付", "金额/优惠");
            assertThat(rows(sheet)).containsExactly("3: [R-1, 9, 1]");
        }
        assertThat(read(file, XlsxSheet::open)).isEqualTo(read(file, UserModelXlsxSheet::open));
    }

    @Example
    void brokenAndEmptySheetsAreRefusedAsBefore() throws IOException {
        Path broken = withSheetXml("""
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t>单号</t></is></c></row><row r="2">
                </sheetData></worksheet>""");
        Path empty = withSheetXml("""
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t> </t></is></c></row></sheetData></worksheet>""");
        for (Path file : List.of(broken, empty)) {
            assertThat(read(file, XlsxSheet::open)).isEqualTo(read(file, UserModelXlsxSheet::open));
        }
        assertThatThrownBy(() -> Sheets.open(broken)).isInstanceOf(ApiProblem.class).hasMessageContaining("not an XLSX");
        assertThatThrownBy(() -> Sheets.open(empty)).isInstanceOf(ApiProblem.class).hasMessageContaining("empty");
    }

    @Example
    void aWordDocumentIsAZipButNotAWorkbook() throws IOException {
        Path file = Files.createTempFile("letter", ".docx");
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
            doc.createParagraph().createRun().setText("not a sheet");
            doc.write(out);
        }
        assertThatThrownBy(() -> Sheets.open(file)).isInstanceOf(ApiProblem.class).hasMessageContaining("not an XLSX");
        assertThat(read(file, UserModelXlsxSheet::open).refused()).contains("not an XLSX");
    }

    /** The preview stops after a few rows: closing part-way must let the file go. */
    @Example
    void aSheetClosedPartWayLetsTheFileGo() throws IOException {
        Path file = Files.createTempFile("partway", ".xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            var sheet = wb.createSheet();
            for (int r = 0; r < 100; r++) {
                sheet.createRow(r).createCell(0).setCellValue(r == 0 ? "单号" : "R-" + r);
            }
            wb.write(out);
        }
        try (Sheet sheet = Sheets.open(file)) {
            var rows = sheet.iterator();
            assertThat(rows.next().cell(0)).isEqualTo("R-1");
            assertThat(sheet.fractionRead()).isBetween(0.0, 1.0);
        }
        Files.delete(file);
    }

    private static List<String> rows(Sheet sheet) {
        List<String> rows = new ArrayList<>();
        sheet.forEach(row -> rows.add(row.number() + ": " + Arrays.toString(row.cells())));
        return rows;
    }

    /** A real workbook from POI with its first sheet's XML replaced, for what POI would not write. */
    private static Path withSheetXml(String xml) throws IOException {
        Path template = Files.createTempFile("template", ".xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(template)) {
            wb.createSheet().createRow(0).createCell(0).setCellValue("x");
            wb.write(out);
        }
        Path file = Files.createTempFile("handmade", ".xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(template));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    out.write(xml.getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.delete(template);
        return file;
    }
}
