package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;
import java.io.Closeable;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * An opened import file: its column headers and its data rows, read once front to back. Opened by
 * {@link Sheets#open}; re-open to read again.
 */
interface Sheet extends Closeable, Iterable<SheetRow> {

    /** The column headers as the user should see them (merged headers already spread). */
    List<String> headers();

    /**
     * Things about the headers the user should know (e.g. ambiguous merged cells), each at a header and
     * with a code of the imports messages; never PII.
     */
    List<FieldError> warnings();

    /** How far through the file reading has got, 0..1, for progress while the row count is unknown. */
    double fractionRead();

    @Override
    Iterator<SheetRow> iterator();

    @Override
    void close();

    /** The rows a reader hands out one at a time until it has none (null), read one ahead for hasNext. */
    static Iterator<SheetRow> pulling(Supplier<SheetRow> nextRow) {
        return new Iterator<>() {
            private SheetRow next = nextRow.get();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public SheetRow next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                SheetRow current = next;
                next = nextRow.get();
                return current;
            }
        };
    }
}
