package app.regulars.imports;

import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.xml.sax.SAXException;

/**
 * The first sheet of an XLSX workbook, streamed: rows are read from the sheet's XML as they are asked
 * for, so memory holds one row, the shared strings (one copy of each distinct text) and the styles,
 * not every cell. A 200,000-line, ten-column POS export reads in about 2 s with 17 MB live, where POI's
 * in-memory model took 14.5 s and 1.4 GB before the first row ({@code XlsxReadThroughputTest});
 * {@code XlsxMemoryTest} reads 100,000 lines in a 96 MB heap that the old reader runs out of.
 *
 * <p>Headers as {@link XlsxHeader} builds them (merged header cells spread, "top/sub" from a second
 * header row, else flagged); cell text as {@link XlsxValues} gives it (dates ISO, numbers plain,
 * formulas by their cached value). The merged regions, stored after the rows, come from a first pass
 * ({@link XlsxMerges}, which says why). Row numbers are the sheet's own, as Excel shows them. An import
 * reads a file twice (check, then apply): the second open takes the {@link Workbook} of the first, so
 * the merged-region pass and the shared strings are read once.
 */
final class XlsxSheet implements Sheet {

    /** What an open reads beside the rows, kept for the next open of the same file. */
    record Workbook(List<CellRangeAddress> merged, XlsxValues values) {}

    private final OPCPackage pkg;
    private final Workbook workbook;
    private final XlsxRows rows;
    private final XlsxHeader header;
    private final int firstDataRow;
    /** A row read ahead while looking for a second header row, and found to be data. */
    private XlsxRows.Row pending;

    private XlsxSheet(OPCPackage pkg, XlsxRows rows, Workbook workbook) throws XMLStreamException {
        this.pkg = pkg;
        this.workbook = workbook;
        this.rows = rows;
        XlsxRows.Row top = firstNonBlankRow();
        if (top == null) {
            throw Sheets.unreadable("emptySheet", "the first sheet is empty");
        }
        int headerRow = top.index();
        this.header = XlsxHeader.of(headerRow, top.cells(), workbook.merged(), width -> rowBelow(headerRow, width));
        if (header.usesRowBelow()) {
            pending = null;
        }
        this.firstDataRow = headerRow + (header.usesRowBelow() ? 2 : 1);
    }

    static XlsxSheet open(Path file) {
        return open(file, null);
    }

    /** Opens the file again, reusing what an earlier open of it read ({@code known}; null for a first open). */
    static XlsxSheet open(Path file, Workbook known) {
        OPCPackage pkg = null;
        XlsxRows rows = null;
        try {
            pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
            XSSFReader reader = new XSSFReader(pkg);
            PackagePart sheet = firstSheet(reader);
            // Without phonetic runs (the furigana of Japanese names): the in-memory reader left them out too.
            Workbook workbook = known != null ? known : new Workbook(XlsxMerges.read(sheet),
                    new XlsxValues(new ReadOnlySharedStringsTable(pkg, false), reader.getStylesTable(), date1904(reader)));
            rows = XlsxRows.open(sheet, workbook.values());
            return new XlsxSheet(pkg, rows, workbook);
        } catch (OpenXML4JException | NotOfficeXmlFileException | POIXMLException | SAXException | IOException
                 | XMLStreamException | NumberFormatException e) {
            close(rows, pkg);
            throw unreadable(e);
        } catch (RuntimeException e) {
            close(rows, pkg);
            throw e;
        }
    }

    private static PackagePart firstSheet(XSSFReader reader) throws IOException, OpenXML4JException {
        XSSFReader.SheetIterator sheets = reader.getSheetIterator();
        if (!sheets.hasNext()) {
            throw new OpenXML4JException("a workbook without sheets"); // e.g. a Word document: it is a zip too
        }
        sheets.next().close(); // moving on opens the part; it is read later, twice, from getSheetPart
        return sheets.getSheetPart();
    }

    /** Whether the workbook counts its dates from 1904 (old Mac Excel) rather than 1900. */
    private static boolean date1904(XSSFReader reader) throws IOException, OpenXML4JException, XMLStreamException {
        try (InputStream in = reader.getWorkbookData()) {
            XMLStreamReader xml = XMLHelper.newXMLInputFactory().createXMLStreamReader(in);
            try {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                        switch (xml.getLocalName()) {
                            case "workbookPr" -> {
                                String value = xml.getAttributeValue(null, "date1904");
                                return "1".equals(value) || "true".equals(value);
                            }
                            case "sheets" -> {
                                return false; // workbookPr comes before the sheets when there is one
                            }
                            default -> { }
                        }
                    }
                }
                return false;
            } finally {
                xml.close();
            }
        }
    }

    /**
     * A broken workbook is refused as the in-memory reader refused it: a zip whose parts are not a
     * workbook's, or whose XML is not well-formed, is "not an XLSX"; one that cannot be read (a damaged
     * zip, a zip bomb) is "unreadable".
     */
    private static ApiProblem unreadable(Exception e) {
        boolean io = e instanceof IOException || e.getCause() instanceof IOException;
        return io ? Sheets.unreadable("unreadableXlsx", "the XLSX workbook cannot be read")
                : Sheets.unreadable("notXlsx", "a zip file that is not an XLSX workbook");
    }

    private XlsxRows.Row firstNonBlankRow() throws XMLStreamException {
        for (XlsxRows.Row row = rows.next(Integer.MAX_VALUE); row != null; row = rows.next(Integer.MAX_VALUE)) {
            for (String text : row.cells()) {
                if (text != null && !text.isBlank()) {
                    return row;
                }
            }
        }
        return null;
    }

    /** The row under the header row (none if the next row written is further down), kept in case it is data. */
    private String[] rowBelow(int headerRow, int width) {
        pending = read(width);
        return pending != null && pending.index() == headerRow + 1 ? pending.cells() : new String[0];
    }

    Workbook workbook() {
        return workbook;
    }

    @Override
    public List<String> headers() {
        return header.names();
    }

    @Override
    public List<FieldError> warnings() {
        return header.warnings();
    }

    @Override
    public double fractionRead() {
        return rows.fractionRead();
    }

    @Override
    public Iterator<SheetRow> iterator() {
        return Sheet.pulling(this::nextDataRow);
    }

    private SheetRow nextDataRow() {
        int width = header.names().size();
        while (true) {
            XlsxRows.Row raw = pending != null ? pending : read(width);
            pending = null;
            if (raw == null) {
                return null;
            }
            SheetRow row = new SheetRow(raw.index() + 1L, Arrays.copyOf(raw.cells(), width));
            if (raw.index() >= firstDataRow && !row.isBlank()) {
                return row;
            }
        }
    }

    private XlsxRows.Row read(int width) {
        try {
            return rows.next(width);
        } catch (XMLStreamException | NumberFormatException e) {
            throw unreadable(e);
        }
    }

    @Override
    public void close() {
        close(rows, pkg);
    }

    private static void close(XlsxRows rows, OPCPackage pkg) {
        if (rows != null) {
            rows.close();
        }
        if (pkg != null) {
            pkg.revert(); // opened read-only: nothing to save
        }
    }
}
