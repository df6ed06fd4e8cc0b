package app.regulars.imports;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.util.XMLHelper;

/**
 * The rows of a worksheet's XML, pulled one at a time: only the current row is in memory, whatever the
 * size of the sheet.
 *
 * <p>WHY a StAX pull reader and not POI's SAX {@code XSSFSheetXMLHandler}: a {@link Sheet} is an
 * iterator that the caller pulls and may stop early (the preview reads five rows). SAX pushes the whole
 * sheet through a callback, so it would need a second thread and a hand-off queue to become an iterator.
 * Pulling keeps reading on the caller's thread, with no thread to stop on close.
 */
final class XlsxRows implements Closeable {

    /** One row as written: its index (0-based) and the text of each cell by column, null where none. */
    record Row(int index, String[] cells) {}

    /** A {@code <col>} range's default style, for cells of those columns that have none of their own. */
    private record ColumnStyle(int first, int last, int style) {}

    /** The widest sheet Excel allows (XFD); a wider reference is a broken file. */
    static final int MAX_COLUMNS = 16_384;

    private final CountingStream counted;
    private final long size;
    private final XMLStreamReader xml;
    private final XlsxValues values;
    private final List<ColumnStyle> columnStyles = new ArrayList<>();
    private int lastRow = -1;
    private boolean done;

    private XlsxRows(CountingStream counted, long size, XMLStreamReader xml, XlsxValues values) {
        this.counted = counted;
        this.size = size;
        this.xml = xml;
        this.values = values;
    }

    /** Opens the sheet part and reads up to its first row: the column styles on the way, nothing else. */
    static XlsxRows open(PackagePart sheet, XlsxValues values) throws IOException, XMLStreamException {
        InputStream in = sheet.getInputStream();
        try {
            CountingStream counted = new CountingStream(in);
            XlsxRows rows = new XlsxRows(counted, sheet.getSize(), XMLHelper.newXMLInputFactory().createXMLStreamReader(counted),
                    values);
            rows.toSheetData();
            return rows;
        } catch (XMLStreamException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private void toSheetData() throws XMLStreamException {
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "sheetData" -> {
                        return;
                    }
                    case "col" -> columnStyle();
                    default -> { } // worksheet, sheetPr, dimension, sheetViews, cols: read through
                }
            }
        }
        done = true; // no sheetData at all: an empty sheet
    }

    private void columnStyle() {
        String style = xml.getAttributeValue(null, "style");
        String min = xml.getAttributeValue(null, "min");
        String max = xml.getAttributeValue(null, "max");
        if (style != null && min != null && max != null) {
            columnStyles.add(new ColumnStyle(Integer.parseInt(min) - 1, Integer.parseInt(max) - 1, Integer.parseInt(style)));
        }
    }

    /**
     * The next row, with the text of its first {@code limit} columns (cells further right are skipped
     * unread), or null after the last. A row's array is as long as its last cell, at most {@code limit}.
     */
    Row next(int limit) throws XMLStreamException {
        while (!done) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if ("row".equals(xml.getLocalName())) {
                    return row(limit);
                }
                skipElement();
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                done = true; // </sheetData>: what follows (merged cells, print setup) is not rows
            }
        }
        return null;
    }

    private Row row(int limit) throws XMLStreamException {
        String r = xml.getAttributeValue(null, "r");
        int index = r != null ? Integer.parseInt(r) - 1 : lastRow + 1; // rows without r follow the one before
        lastRow = index;
        String[] cells = new String[Math.min(limit, 8)];
        int width = 0;
        while (nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (!"c".equals(xml.getLocalName())) {
                skipElement(); // extLst and the like
                continue;
            }
            String ref = xml.getAttributeValue(null, "r");
            int column = ref != null ? column(ref) : width; // cells without r follow the one before
            if (column < limit) {
                if (column >= cells.length) {
                    cells = Arrays.copyOf(cells, Math.min(limit, Math.max(column + 1, cells.length * 2)));
                }
                cells[column] = values.text(cell(), columnStyle(column));
            } else {
                skipElement();
            }
            width = Math.max(width, column + 1);
        }
        return new Row(index, Arrays.copyOf(cells, Math.min(width, limit)));
    }

    /** Reads the {@code <c>} the reader is on, up to its end tag. */
    private XlsxValues.Cell cell() throws XMLStreamException {
        String type = xml.getAttributeValue(null, "t");
        String style = xml.getAttributeValue(null, "s");
        boolean formula = false;
        String value = null;
        boolean hasInline = false;
        String inline = null;
        while (nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "v" -> value = xml.getElementText();
                case "f" -> {
                    formula = !"dataTable".equals(xml.getAttributeValue(null, "t")); // as XSSFCell.isFormulaCell
                    skipElement();
                }
                case "is" -> {
                    hasInline = true;
                    inline = inlineText();
                }
                default -> skipElement();
            }
        }
        return new XlsxValues.Cell(type, style == null ? -1 : Integer.parseInt(style), formula, value, hasInline, inline);
    }

    /**
     * The text of an {@code <is>}: its formatting runs ({@code <r><t>}) joined, or its plain {@code <t>}
     * when it has no runs; phonetic guides ({@code <rPh>}) left out, as XSSFRichTextString did.
     */
    private String inlineText() throws XMLStreamException {
        String plain = null;
        StringBuilder runs = null;
        while (nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "t" -> plain = xml.getElementText();
                case "r" -> {
                    runs = runs == null ? new StringBuilder() : runs;
                    while (nextTag() == XMLStreamConstants.START_ELEMENT) {
                        if ("t".equals(xml.getLocalName())) {
                            runs.append(xml.getElementText());
                        } else {
                            skipElement(); // rPr: the run's font
                        }
                    }
                }
                default -> skipElement();
            }
        }
        return runs != null ? runs.toString() : plain;
    }

    /**
     * The next start or end tag. Unlike {@link XMLStreamReader#nextTag()} this passes over stray text
     * between tags, which real files have: POI itself writes {@code <f>1/0</f>><v>0</v>} for some
     * formulas, and the in-memory reader ignored it.
     */
    private int nextTag() throws XMLStreamException {
        int event = xml.next();
        while (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
            event = xml.next();
        }
        return event;
    }

    /** From a start tag to just past its end tag, whatever is inside. */
    private void skipElement() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private int columnStyle(int column) {
        for (ColumnStyle c : columnStyles) {
            if (c.first() <= column && column <= c.last()) {
                return c.style();
            }
        }
        return -1;
    }

    /** The 0-based column of a cell reference such as "AB12" ("$AB$12" too). */
    static int column(String ref) throws XMLStreamException {
        int column = 0;
        for (int i = 0; i < ref.length(); i++) {
            char ch = ref.charAt(i);
            if (ch == '$') {
                continue;
            }
            int letter = Character.toUpperCase(ch) - 'A';
            if (letter < 0 || letter > 25) {
                break;
            }
            column = column * 26 + letter + 1;
            if (column > MAX_COLUMNS) {
                throw new XMLStreamException("cell reference beyond the last column: " + ref);
            }
        }
        if (column == 0) {
            throw new XMLStreamException("cell reference without a column: " + ref);
        }
        return column - 1;
    }

    /** How much of the sheet's XML has been read, 0..1 (0 while the size is unknown). */
    double fractionRead() {
        return size <= 0 ? 0 : Math.min(1.0, counted.count() / (double) size);
    }

    @Override
    public void close() {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // only reading: nothing can be lost
        }
        try {
            counted.close();
        } catch (IOException e) {
            // only reading: nothing can be lost
        }
    }
}
