package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;

/**
 * The column headers of an XLSX sheet, from its header row, the merged regions and, when a merged
 * header spans several columns, the row under it. Header cells merged across several columns give
 * their text to each column they span; when the row under them names the spanned columns, the headers
 * become "top/sub" ("金额/实付", "金额/优惠"), otherwise the columns are numbered and flagged as
 * ambiguous. {@code usesRowBelow}: the row under the header row is part of the header, not data.
 */
record XlsxHeader(List<String> names, List<FieldError> warnings, boolean usesRowBelow) {

    /**
     * {@code cells}: the header row's cell texts, as long as its last written cell; {@code rowBelow}
     * gives the row under it cut to a width (an empty array when there is none), asked only when needed.
     */
    static XlsxHeader of(int headerRow, String[] cells, List<CellRangeAddress> merged, IntFunction<String[]> rowBelow) {
        List<CellRangeAddress> regions = merged.stream().filter(r -> r.getFirstRow() == headerRow).toList();
        int width = Math.max(1, cells.length);
        for (CellRangeAddress region : regions) {
            width = Math.max(width, region.getLastColumn() + 1); // merged cells past the last written one
        }
        String[] top = texts(cells, width);
        List<CellRangeAddress> spans = new ArrayList<>();
        boolean[] verticallyMerged = new boolean[width];
        for (CellRangeAddress region : regions) {
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
            return new XlsxHeader(List.of(top), List.of(), false);
        }
        String[] sub = texts(rowBelow.apply(width), width);
        return isSubHeaderRow(spans, sub, verticallyMerged, width) ? combined(top, sub, spans) : ambiguous(top, spans);
    }

    private static XlsxHeader combined(String[] top, String[] sub, List<CellRangeAddress> spans) {
        String[] names = new String[top.length];
        for (int c = 0; c < top.length; c++) {
            names[c] = inSpan(spans, c) ? top[c] + "/" + sub[c] : top[c];
        }
        return new XlsxHeader(List.of(names), List.of(), true);
    }

    private static XlsxHeader ambiguous(String[] top, List<CellRangeAddress> spans) {
        String[] marked = top.clone();
        List<FieldError> warnings = new ArrayList<>();
        for (CellRangeAddress span : spans) {
            int n = 1;
            List<String> letters = new ArrayList<>();
            for (int c = span.getFirstColumn(); c <= Math.min(span.getLastColumn(), top.length - 1); c++) {
                marked[c] = top[c] + " #" + n++;
                letters.add(CellReference.convertNumToColString(c));
            }
            String columns = String.join(", ", letters);
            String text = top[span.getFirstColumn()];
            warnings.add(new FieldError(text, "columns " + columns + " share the merged header \"" + text
                    + "\" and no second header row names them: choose their fields by hand",
                    "imports.mapping.warning.mergedHeader", columns));
        }
        return new XlsxHeader(List.of(marked), List.copyOf(warnings), false);
    }

    /** Sub-headers exist when every spanned column has text under it and no plain column does. */
    private static boolean isSubHeaderRow(List<CellRangeAddress> spans, String[] sub, boolean[] verticallyMerged, int width) {
        for (int c = 0; c < width; c++) {
            boolean spanned = inSpan(spans, c);
            boolean hasText = !sub[c].isBlank();
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

    /** Cell texts stripped, padded or cut to the width, "" where there is none. */
    private static String[] texts(String[] cells, int width) {
        String[] out = new String[width];
        for (int c = 0; c < width; c++) {
            String text = c < cells.length ? cells[c] : null;
            out[c] = text == null ? "" : text.strip();
        }
        return out;
    }
}
