package app.regulars.imports;

import app.regulars.platform.TextEncoding;
import app.regulars.platform.ApiProblem;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** CSV text (UTF-8 with or without BOM, or GBK/GB18030), optionally gzipped; comma, tab or semicolon. */
final class CsvSheet implements Sheet {

    private final CountingStream counted;
    private final long size;
    private final CsvReader<CsvRecord> reader;
    private final Iterator<CsvRecord> records;
    private final List<String> headers;
    private final Charset charset;

    private CsvSheet(CountingStream counted, long size, CsvReader<CsvRecord> reader, Charset charset) {
        this.counted = counted;
        this.size = size;
        this.reader = reader;
        this.charset = charset;
        this.records = reader.iterator();
        List<String> header = List.of();
        while (records.hasNext()) {
            CsvRecord first = records.next();
            if (first.getFields().stream().anyMatch(f -> !f.isBlank())) {
                header = first.getFields().stream().map(String::strip).toList();
                break;
            }
        }
        if (header.isEmpty()) {
            close();
            throw Sheets.unreadable("noHeader", "the file has no header row");
        }
        this.headers = header;
    }

    static CsvSheet open(Path file, boolean gzipped) {
        CountingStream counted = null;
        try {
            long size = Files.size(file);
            counted = new CountingStream(Files.newInputStream(file));
            InputStream in = new BufferedInputStream(gzipped ? new GZIPInputStream(counted, 1 << 16) : counted, 1 << 16);
            in.mark(TextEncoding.SAMPLE + 8);
            byte[] head = new byte[TextEncoding.SAMPLE];
            int n = in.readNBytes(head, 0, head.length);
            boolean whole = in.read() < 0;
            in.reset();
            Charset charset = TextEncoding.detect(head, n, whole)
                    .orElseThrow(Sheets::notText);
            if (!whole && isAscii(head, n)) {
                charset = firstNonAsciiWindow(file, gzipped);
            }
            if (TextEncoding.hasUtf8Bom(head, n)) {
                in.skipNBytes(3);
            }
            char separator = separator(new String(head, 0, Math.min(n, 4096), charset));
            CsvReader<CsvRecord> reader = CsvReader.builder()
                    .fieldSeparator(separator)
                    .skipEmptyLines(true)
                    .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                    .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                    .ofCsvRecord(new InputStreamReader(in, charset.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)));
            return new CsvSheet(counted, size, reader, charset);
        } catch (ZipException e) {
            closeQuietly(counted);
            throw Sheets.unreadable("badGzip", "the .gz file is damaged or not gzip");
        } catch (IOException e) {
            closeQuietly(counted);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(counted);
            throw e;
        }
    }

    private static boolean isAscii(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A file whose first 64 KB are plain ASCII (English headers, numbers) may still hold Chinese
     * further down: judge the encoding by the 64 KB from its first non-ASCII byte, which starts a
     * character in both UTF-8 and GBK.
     */
    private static Charset firstNonAsciiWindow(Path file, boolean gzipped) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = new BufferedInputStream(gzipped ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16)) {
            int b;
            while ((b = in.read()) >= 0 && b < 0x80) {
                // skip ASCII
            }
            if (b < 0) {
                return java.nio.charset.StandardCharsets.UTF_8;
            }
            byte[] window = new byte[TextEncoding.SAMPLE];
            window[0] = (byte) b;
            int n = 1 + in.readNBytes(window, 1, window.length - 1);
            boolean whole = in.read() < 0;
            return TextEncoding.detect(window, n, whole)
                    .orElseThrow(Sheets::notText);
        }
    }

    /** The separator that splits the header line most often: Excel writes ';' in some locales, tab in others. */
    private static char separator(String sample) {
        int end = sample.indexOf('\n');
        String line = end < 0 ? sample : sample.substring(0, end);
        char best = ',';
        long bestCount = line.chars().filter(c -> c == ',').count();
        for (char candidate : new char[] {'\t', ';'}) {
            long count = line.chars().filter(c -> c == candidate).count();
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    Charset charset() {
        return charset;
    }

    @Override
    public List<String> headers() {
        return headers;
    }

    @Override
    public List<ApiProblem.FieldError> warnings() {
        return List.of();
    }

    @Override
    public double fractionRead() {
        return size == 0 ? 1 : Math.min(1.0, counted.count() / (double) size);
    }

    @Override
    public Iterator<SheetRow> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return records.hasNext();
                } catch (CsvParseException | UncheckedIOException e) {
                    throw unreadable(e);
                }
            }

            @Override
            public SheetRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    CsvRecord r = records.next();
                    String[] cells = r.getFields().toArray(String[]::new);
                    return new SheetRow(r.getStartingLineNumber(), cells.length >= headers.size() ? cells
                            : Arrays.copyOf(cells, headers.size()));
                } catch (CsvParseException | UncheckedIOException e) {
                    throw unreadable(e);
                }
            }
        };
    }

    private static ApiProblem unreadable(RuntimeException e) {
        Throwable cause = e.getCause();
        if (cause instanceof java.nio.charset.MalformedInputException || cause instanceof ZipException) {
            return Sheets.notText();
        }
        return Sheets.unreadable("brokenRecord", "the CSV cannot be read past a broken record (an unclosed quote?)");
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing to do: we only read
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // opening failed already; the first error is the one to report
            }
        }
    }
}
