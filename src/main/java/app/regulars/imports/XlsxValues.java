package app.regulars.imports;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.ExcelNumberFormat;
import org.apache.poi.xssf.model.SharedStrings;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;

/**
 * Turns a cell as written in the sheet XML into the text the import reads: dates ISO-formatted,
 * numbers without float noise (phones stay 13800138000), formulas as their cached value, booleans as
 * true/false, errors as nothing. Each rule gives what POI's user model (XSSFCell) gave, which the
 * imports read before they streamed, so a file reads the same as it did.
 */
final class XlsxValues {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final byte UNKNOWN = 0;
    private static final byte IS_DATE = 1;
    private static final byte NOT_DATE = 2;

    /**
     * One {@code <c>} element as written: its type ({@code t}, null for a number), style ({@code s},
     * -1 when absent), whether it holds a formula, its value ({@code v}) and its inline text
     * ({@code <is>}, which may be present and still have no text).
     */
    record Cell(String type, int style, boolean formula, String value, boolean hasInline, String inline) {}

    private final SharedStrings strings;
    private final StylesTable styles;
    private final boolean date1904;
    /** Whether each cell style is a date format: looked up once per style, not once per cell. */
    private final byte[] dateStyles;
    /**
     * Shared strings already looked up, by index. POI's table builds a rich-text object on every
     * look-up (about half a microsecond, a fifth of reading a 200,000-row sheet); receipt numbers,
     * stores and SKUs repeat, so each is decoded once.
     */
    private String[] sharedTexts = new String[64];

    XlsxValues(SharedStrings strings, StylesTable styles, boolean date1904) {
        this.strings = strings;
        this.styles = styles;
        this.date1904 = date1904;
        this.dateStyles = new byte[styles == null ? 0 : styles.getNumCellStyles()];
    }

    /**
     * The cell's text, or null for no value. {@code columnStyle} is the style its column gives cells
     * without one of their own ({@code <col style>}, -1 if none).
     */
    String text(Cell cell, int columnStyle) {
        String type = cell.type() == null ? "n" : cell.type();
        return switch (type) {
            case "n" -> number(cell, columnStyle);
            case "s" -> shared(cell.value());
            case "str" -> decode(cell.value() == null ? "" : cell.value());
            case "inlineStr" -> decode(cell.hasInline() ? cell.inline() : cell.value() == null ? "" : cell.value());
            case "b" -> Boolean.toString("1".equals(cell.value()));
            case "e" -> null;
            default -> cell.value(); // "d" (ISO 8601 text, from newer writers) and anything unknown: as written
        };
    }

    private String number(Cell cell, int columnStyle) {
        String v = cell.value();
        if (v == null && !cell.formula()) {
            return null; // a blank cell: written only for its style
        }
        double d = v == null || v.isEmpty() ? 0 : parse(v); // a formula never calculated reads as 0, as before
        if (DateUtil.isValidExcelDate(d) && isDateStyle(style(cell.style(), columnStyle))) {
            LocalDateTime t = DateUtil.getLocalDateTime(d, date1904);
            return t.toLocalTime().toSecondOfDay() == 0 && t.getYear() > 1900 ? t.format(DATE) : t.format(DATE_TIME);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static double parse(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw Sheets.unreadable("unreadableXlsx", "the XLSX workbook cannot be read");
        }
    }

    /** The cell's own style if it names one that exists, else its column's, else the workbook's default (0). */
    private int style(int own, int columnStyle) {
        if (own >= 0 && own < dateStyles.length) {
            return own;
        }
        int fallback = Math.max(0, columnStyle);
        return fallback < dateStyles.length ? fallback : -1;
    }

    private boolean isDateStyle(int style) {
        if (style < 0) {
            return false;
        }
        if (dateStyles[style] == UNKNOWN) {
            ExcelNumberFormat format = ExcelNumberFormat.from(styles.getStyleAt(style));
            dateStyles[style] = format != null && DateUtil.isADateFormat(format) ? IS_DATE : NOT_DATE;
        }
        return dateStyles[style] == IS_DATE;
    }

    /** A shared string by its index; a missing or broken index reads as empty text, as XSSFCell read it. */
    private String shared(String v) {
        if (v == null) {
            return "";
        }
        try {
            int index = Integer.parseInt(v);
            String text = index < sharedTexts.length ? sharedTexts[index] : null;
            return text != null ? text : remember(index, strings.getItemAt(index).getString());
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Only indexes the table has get here (it refuses others), so the cache is no longer than the table. */
    private String remember(int index, String text) {
        if (index >= sharedTexts.length) {
            sharedTexts = Arrays.copyOf(sharedTexts, Math.max(index + 1, sharedTexts.length * 2));
        }
        sharedTexts[index] = text;
        return text;
    }

    /** Excel escapes characters XML cannot hold as _xHHHH_; only then is the (costly) rich text decoder needed. */
    private static String decode(String text) {
        return text == null || !text.contains("_x") ? text : new XSSFRichTextString(text).getString();
    }
}
