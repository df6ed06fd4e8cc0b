package app.regulars.imports;

import app.regulars.platform.ApiProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens an import file by what it is, not what it is called: the first bytes tell an XLSX (a zip),
 * a gzipped CSV, the old binary .xls (refused with advice) and plain CSV text apart.
 */
final class Sheets {

    private Sheets() {}

    enum Kind { CSV, CSV_GZIP, XLSX }

    static Sheet open(Path file) {
        return switch (kind(file)) {
            case CSV -> CsvSheet.open(file, false);
            case CSV_GZIP -> CsvSheet.open(file, true);
            case XLSX -> XlsxSheet.open(file);
        };
    }

    /**
     * Opens one file pass after pass (an import checks it, then applies it). An XLSX's merged regions,
     * shared strings and styles are read by the first pass only: in a 200,000-line export the
     * merged-region pass alone reads the whole sheet once more.
     */
    static final class Passes {
        private final Path file;
        private XlsxSheet.Workbook workbook;

        Passes(Path file) {
            this.file = file;
        }

        Sheet open() {
            if (workbook == null && kind(file) != Kind.XLSX) {
                return Sheets.open(file);
            }
            XlsxSheet sheet = XlsxSheet.open(file, workbook);
            workbook = sheet.workbook();
            return sheet;
        }
    }

    static Kind kind(Path file) {
        byte[] magic = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(magic, 0, magic.length);
        } catch (NoSuchFileException e) {
            throw unreadable("notFound", "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (n == 0) {
            throw unreadable("empty", "the file is empty");
        }
        if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Kind.CSV_GZIP;
        }
        if (n >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            return Kind.XLSX;
        }
        if (n >= 4 && (magic[0] & 0xff) == 0xD0 && (magic[1] & 0xff) == 0xCF && (magic[2] & 0xff) == 0x11
                && (magic[3] & 0xff) == 0xE0) {
            throw unreadable("oldExcel",
                    "old Excel .xls files are not supported: save the sheet as .xlsx or CSV and import that");
        }
        if (n >= 4 && magic[0] == '%' && magic[1] == 'P' && magic[2] == 'D' && magic[3] == 'F') {
            throw unreadable("pdf", "this is a PDF, not a CSV or XLSX file");
        }
        return Kind.CSV;
    }

    static ApiProblem notText() {
        return unreadable("notText", "file is not UTF-8 or GBK text (CSV), nor an XLSX workbook");
    }

    /** The file cannot be read as a sheet: a 400 naming "file", with a code (imports.file.…) for the console. */
    static ApiProblem unreadable(String code, String english) {
        return ApiProblem.invalid(List.of(new ApiProblem.FieldError("file", english, "imports.file." + code, null)));
    }
}
