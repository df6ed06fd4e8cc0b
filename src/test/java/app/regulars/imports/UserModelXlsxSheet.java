package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The XLSX reader as it was before {@link XlsxSheet} streamed: POI's user model, the whole workbook in
 * memory. Kept in the tests only, as the oracle the streaming reader is compared with
 * ({@code XlsxSheetTest}) and as the reader that runs out of a small heap ({@code XlsxMemoryTest}).
 */
final class UserModelXlsxSheet implements Sheet {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private final XSSFWorkbook workbook;
    private final XSSFSheet sheet;
    private final List<String> headers;
    private final List<FieldError> warnings = new ArrayList<>();
    private final int firstDataRow;
    private volatile int currentRow;

    private UserModelXlsxSheet(XSSFWorkbook workbook) {
        this.workbook = workbook;
        this.sheet = workbook.getSheetAt(0);
        int headerRow = firstNonBlankRow();
        if (headerRow < 0) {
            throw Sheets.unreadable("emptySheet", "the first sheet is empty");
        }
        int width = Math.max(1, sheet.getRow(headerRow).getLastCellNum());
        for (CellRangeAddress region : sheet.getMergedRegions()) {
            if (region.getFirstRow() == headerRow) {
                width = Math.max(width, region.getLastColumn() + 1); // merged cells past the last written one
            }
        }
        String[] top = texts(headerRow, width);
        List<CellRangeAddress> spans = new ArrayList<>();
        boolean[] verticallyMerged = new boolean[width];
        for (CellRangeAddress region : sheet.getMergedRegions()) {
            if (region.getFirstRow() != headerRow) {
                continue;
            }
            String text = top[Math.min(region.getFirstColumn(), width - 1)];
            for (int c = region.getFirstColumn(); c <= Math.min(region.getLastColumn(), width - 1); c++) {
                top[c] = text;
                if (region.getLastRow() > headerRow) {
                    verticallyMerged[c] = true;
                }
            }
            if (region.getLastColumn() > region.getFirstColumn()) {
                spans.add(region);
            }
        }
        if (spans.isEmpty()) {
            headers = List.of(top);
            firstDataRow = headerRow + 1;
        } else {
            String[] sub = texts(headerRow + 1, width);
            if (isSubHeaderRow(spans, sub, verticallyMerged, width)) {
                String[] combined = new String[width];
                for (int c = 0; c < width; c++) {
                    combined[c] = inSpan(spans, c) ? top[c] + "/" + sub[c] : top[c];
                }
                headers = List.of(combined);
                firstDataRow = headerRow + 2;
            } else {
                String[] marked = top.clone();
                for (CellRangeAddress span : spans) {
                    int n = 1;
                    List<String> letters = new ArrayList<>();
                    for (int c = span.getFirstColumn(); c <= Math.min(span.getLastColumn(), width - 1); c++) {
                        marked[c] = top[c] + " #" + n++;
                        letters.add(CellReference.convertNumToColString(c));
                    }
                    String columns = String.join(", ", letters);
                    warnings.add(new FieldError(top[span.getFirstColumn()], "columns " + columns + " share the merged header \""
                            + top[span.getFirstColumn()] + "\" and no second header row names them: choose their fields by hand",
                            "imports.mapping.warning.mergedHeader", columns));
                }
                headers = List.of(marked);
                firstDataRow = headerRow + 1;
            }
        }
        currentRow = firstDataRow;
    }

    static UserModelXlsxSheet open(Path file) {
        OPCPackage pkg = null;
        try {
            pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
            return new UserModelXlsxSheet(new XSSFWorkbook(pkg));
        } catch (InvalidFormatException | NotOfficeXmlFileException | org.apache.poi.ooxml.POIXMLException e) {
            revert(pkg);
            throw Sheets.unreadable("notXlsx", "a zip file that is not an XLSX workbook");
        } catch (IOException e) {
            revert(pkg);
            throw Sheets.unreadable("unreadableXlsx", "the XLSX workbook cannot be read");
        } catch (RuntimeException e) {
            revert(pkg);
            throw e;
        }
    }

    private static void revert(OPCPackage pkg) {
        if (pkg != null) {
            pkg.revert();
        }
    }

    /** Sub-headers exist when every spanned column has text under it and no plain column does. */
    private static boolean isSubHeaderRow(List<CellRangeAddress> spans, String[] sub, boolean[] verticallyMerged, int width) {
        for (int c = 0; c < width; c++) {
            boolean spanned = inSpan(spans, c);
            boolean hasText = sub[c] != null && !sub[c].isBlank();
            if (spanned && !hasText) {
                return false;
            }
            if (!spanned && hasText && !verticallyMerged[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean inSpan(List<CellRangeAddress> spans, int column) {
        return spans.stream().anyMatch(s -> s.getFirstColumn() <= column && column <= s.getLastColumn());
    }

    private int firstNonBlankRow() {
        for (int r = sheet.getFirstRowNum(); r >= 0 && r <= sheet.getLastRowNum(); r++) {
            Row row = sheet.getRow(r);
            if (row != null && row.getLastCellNum() > 0) {
                for (String t : texts(r, row.getLastCellNum())) {
                    if (t != null && !t.isBlank()) {
                        return r;
                    }
                }
            }
        }
        return -1;
    }

    private String[] texts(int rowIndex, int width) {
        String[] out = new String[width];
        Row row = sheet.getRow(rowIndex);
        for (int c = 0; c < width; c++) {
            String text = row == null ? null : text(row.getCell(c));
            out[c] = text == null ? "" : text.strip();
        }
        return out;
    }

    /** A cell as text: dates ISO-formatted, numbers without float noise (phones stay 13800138000). */
    static String text(Cell cell) {
        if (cell == null) {
            return null;
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case STRING -> cell.getStringCellValue();
            case BOOLEAN -> Boolean.toString(cell.getBooleanCellValue());
            case NUMERIC -> {
                if (DateUtil.isCellDateFormatted(cell)) {
                    LocalDateTime t = cell.getLocalDateTimeCellValue();
                    yield t.toLocalTime().toSecondOfDay() == 0 && t.getYear() > 1900 ? t.format(DATE) : t.format(DATE_TIME);
                }
                yield BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString();
            }
            default -> null;
        };
    }

    @Override
    public List<String> headers() {
        return headers;
    }

    @Override
    public List<FieldError> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public double fractionRead() {
        int last = sheet.getLastRowNum();
        return last <= firstDataRow ? 1 : Math.min(1.0, (currentRow - firstDataRow) / (double) (last - firstDataRow + 1));
    }

    @Override
    public Iterator<SheetRow> iterator() {
        int width = headers.size();
        return new Iterator<>() {
            private SheetRow next = advance();

            private SheetRow advance() {
                while (currentRow <= sheet.getLastRowNum()) {
                    int r = currentRow++;
                    Row row = sheet.getRow(r);
                    if (row == null) {
                        continue;
                    }
                    String[] cells = new String[width];
                    for (int c = 0; c < width; c++) {
                        cells[c] = text(row.getCell(c));
                    }
                    SheetRow candidate = new SheetRow(r + 1L, cells);
                    if (!candidate.isBlank()) {
                        return candidate;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public SheetRow next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                SheetRow current = next;
                next = advance();
                return current;
            }
        };
    }

    @Override
    public void close() {
        try {
            workbook.close();
        } catch (IOException e) {
            // read-only: nothing was written that could be lost
        }
    }
}
