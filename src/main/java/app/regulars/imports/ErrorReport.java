package app.regulars.imports;

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

/**
 * The rows that could not be imported, as CSV in UTF-8 with a byte order mark so Excel opens it
 * right: row (as numbered in the user's file), column header, reason. Never the cell value.
 * The file is created on the first error only.
 */
final class ErrorReport implements AutoCloseable {

    static final int KEPT_IN_MEMORY = 200;

    private final Path path;
    private CsvWriter writer;
    private long count;
    private final List<RowError> first = new ArrayList<>();

    ErrorReport(Path path) {
        this.path = path;
    }

    void add(RowError error) {
        count++;
        if (first.size() < KEPT_IN_MEMORY) {
            first.add(error);
        }
        try {
            if (writer == null) {
                Files.createDirectories(path.getParent());
                OutputStream out = Files.newOutputStream(path);
                out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                writer = CsvWriter.builder().build(text);
                writer.writeRecord("行 row", "列 column", "原因 reason");
            }
            writer.writeRecord(Long.toString(error.row()), error.column(), error.reason());
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
}
