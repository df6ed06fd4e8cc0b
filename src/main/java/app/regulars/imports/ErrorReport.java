package app.regulars.imports;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;

/**
 * The rows that could not be imported, as CSV in UTF-8 with a byte order mark so Excel opens it
 * right: row (as numbered in the user's file), column header, reason — and, so the console can give
 * the reason in its reader's language, the reason's code and argument. Never the cell value.
 * The file is created on the first error only; the reason in it is English (the API's and the
 * command line's), {@link #copyIn} gives row, column and reason in another language.
 */
final class ErrorReport implements AutoCloseable {

    static final int KEPT_IN_MEMORY = 200;
    /** Reports written before reasons had codes have only the first three columns. */
    private static final int STORED_COLUMNS = 5;

    private final Path path;
    private final MessageSource messages;
    private CsvWriter writer;
    private long count;
    private final List<RowError> first = new ArrayList<>();

    ErrorReport(Path path, MessageSource messages) {
        this.path = path;
        this.messages = messages;
    }

    void add(RowError error) {
        count++;
        if (first.size() < KEPT_IN_MEMORY) {
            first.add(error);
        }
        try {
            if (writer == null) {
                writer = open(Files.newOutputStream(createDirectories(path)));
                writer.writeRecord("行 row", "列 column", "原因 reason", "代码 code", "参数 argument");
            }
            Reason reason = error.reason();
            String english = reason.english() != null ? reason.english() : text(messages, reason, Locale.ENGLISH);
            writer.writeRecord(Long.toString(error.row()), error.column(), english,
                    reason.code(), String.join(" ", reason.args()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the error report", e);
        }
    }

    void addAll(List<RowError> errors) {
        errors.forEach(this::add);
    }

    long count() {
        return count;
    }

    /** The first errors, for a summary on screen without reading the file. */
    List<RowError> first() {
        return List.copyOf(first);
    }

    /** The report file, or null when there were no errors. */
    Path path() {
        return writer == null ? null : path;
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the error report", e);
            }
        }
    }

    /** The reason in this language, from the imports messages; the English text if it has no code there. */
    static String text(MessageSource messages, Reason reason, Locale locale) {
        return messages.getMessage(reason.key(), reason.args().toArray(), String.join(" ", reason.args()), locale);
    }

    /**
     * Writes a stored report as row, column and reason in {@code locale}, headers included, for a
     * person to open in Excel. A report from before reasons had codes is copied as it is.
     */
    static void copyIn(Path stored, Locale locale, MessageSource messages, OutputStream out) throws IOException {
        try (CsvReader<CsvRecord> reader = reader(stored)) {
            CsvWriter csv = open(out);
            boolean header = true;
            for (CsvRecord r : reader) {
                if (header) {
                    csv.writeRecord(messages.getMessage("imports.report.row", null, locale),
                            messages.getMessage("imports.report.column", null, locale),
                            messages.getMessage("imports.report.reason", null, locale));
                    header = false;
                } else {
                    csv.writeRecord(r.getField(0), r.getField(1), reason(r, locale, messages));
                }
            }
            csv.flush();
        }
    }

    /** The first {@code limit} rows of a stored report, each reason in {@code locale}, for a table on screen. */
    static List<ImportError> firstRows(Path stored, int limit, Locale locale, MessageSource messages) throws IOException {
        List<ImportError> rows = new ArrayList<>(Math.min(limit, KEPT_IN_MEMORY));
        try (CsvReader<CsvRecord> reader = reader(stored)) {
            boolean header = true;
            for (CsvRecord r : reader) {
                if (rows.size() == limit) {
                    break;
                }
                if (!header) {
                    rows.add(new ImportError(Long.parseLong(r.getField(0)), r.getField(1), reason(r, locale, messages)));
                }
                header = false;
            }
        }
        return rows;
    }

    private static CsvReader<CsvRecord> reader(Path stored) throws IOException {
        return CsvReader.builder()
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(stored);
    }

    /** A stored row's reason in {@code locale}; a report from before reasons had codes has only the English. */
    private static String reason(CsvRecord r, Locale locale, MessageSource messages) {
        if (r.getFieldCount() < STORED_COLUMNS) {
            return r.getFieldCount() > 2 ? r.getField(2) : "";
        }
        String argument = r.getField(4);
        return text(messages, new Reason(r.getField(3), argument.isEmpty() ? List.of() : List.of(argument)), locale);
    }

    private static CsvWriter open(OutputStream out) throws IOException {
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        return CsvWriter.builder().build(text);
    }

    private static Path createDirectories(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return file;
    }
}
