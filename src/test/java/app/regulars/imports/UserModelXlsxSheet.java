package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
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
    private final List<FieldError> warnings;
    private final int firstDataRow;
    private volatile int currentRow;

    /**
     * The headers come from {@link XlsxHeader}, as the streaming reader's do: that logic moved there
     * unchanged, so what this oracle checks independently is how the cells and merged regions are read.
     */
    private UserModelXlsxSheet(XSSFWorkbook workbook) {
        this.workbook = workbook;
        this.sheet = workbook.getSheetAt(0);
        int headerRow = firstNonBlankRow();
        if (headerRow < 0) {
            throw Sheets.unreadable("emptySheet", "the first sheet is empty");
        }
        XlsxHeader header = XlsxHeader.of(headerRow, texts(headerRow, sheet.getRow(headerRow).getLastCellNum()),
                sheet.getMergedRegions(), width -> texts(headerRow + 1, width));
        headers = header.names();
        warnings = header.warnings();
        firstDataRow = headerRow + (header.usesRowBelow() ? 2 : 1);
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
        return warnings;
    }

    @Override
    public double fractionRead() {
        int last = sheet.getLastRowNum();
        return last <= firstDataRow ? 1 : Math.min(1.0, (currentRow - firstDataRow) / (double) (last - firstDataRow + 1));
    }

    @Override
    public Iterator<SheetRow> iterator() {
        return Sheet.pulling(this::nextDataRow);
    }

    private SheetRow nextDataRow() {
        int width = headers.size();
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
    public void close() {
        try {
            workbook.close();
        } catch (IOException e) {
            // read-only: nothing was written that could be lost
        }
    }
}
