package app.regulars.imports;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.util.XMLHelper;

/**
 * The merged regions of a worksheet, read by a first pass over its XML before the rows are read.
 *
 * <p>WHY a pass of its own: the sheet XML stores {@code <mergeCells>} after {@code <sheetData>}, but
 * the headers — the first thing a reader needs — depend on them. Alternatives weighed: keeping rows in
 * memory until the regions are known is what streaming is meant to avoid; searching the raw bytes for
 * "mergeCell" would be faster but would have to re-implement enough of XML (prefixes, comments,
 * CDATA) to be right. This pass uses the same XML parser and keeps nothing but the regions; it costs an
 * extra inflate-and-tokenise of the sheet (0.7 s of the 2 s a 200,000-line, ten-column sheet takes to
 * read, {@code XlsxReadThroughputTest}), and it checks the sheet is well-formed before any row is
 * handed out, so a broken file is still refused when it is opened, as the in-memory reader refused it.
 */
final class XlsxMerges {

    private XlsxMerges() {}

    static List<CellRangeAddress> read(PackagePart sheet) throws IOException, XMLStreamException {
        try (InputStream in = sheet.getInputStream()) {
            XMLStreamReader xml = XMLHelper.newXMLInputFactory().createXMLStreamReader(in);
            try {
                return regions(xml);
            } finally {
                xml.close();
            }
        }
    }

    private static List<CellRangeAddress> regions(XMLStreamReader xml) throws XMLStreamException {
        List<CellRangeAddress> regions = new ArrayList<>();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT && "mergeCell".equals(xml.getLocalName())) {
                regions.add(region(xml.getAttributeValue(null, "ref")));
            } else if (event == XMLStreamConstants.END_ELEMENT && "mergeCells".equals(xml.getLocalName())) {
                break; // a sheet has one list of merged cells; the rest is page setup
            }
        }
        return regions;
    }

    private static CellRangeAddress region(String ref) throws XMLStreamException {
        try {
            return CellRangeAddress.valueOf(ref);
        } catch (RuntimeException e) {
            throw new XMLStreamException("merged cell without a valid range: " + ref, e);
        }
    }
}
