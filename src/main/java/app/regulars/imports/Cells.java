package app.regulars.imports;

import java.util.List;

/** Reads the mapped fields of one row, collecting what is wrong instead of stopping at the first. */
final class Cells {

    private final Columns columns;
    private final List<RowError> errors;
    private SheetRow row;

    Cells(Columns columns, List<RowError> errors) {
        this.columns = columns;
        this.errors = errors;
    }

    Cells on(SheetRow row) {
        this.row = row;
        return this;
    }

    Columns columns() {
        return columns;
    }

    SheetRow row() {
        return row;
    }

    String text(String field) {
        int c = columns.column(field);
        return c < 0 ? null : row.cell(c);
    }

    String required(String field) {
        String value = text(field);
        if (value == null) {
            fail(field, "missing");
        }
        return value;
    }

    Long cents(String field) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return Values.cents(value);
        } catch (BadValue e) {
            fail(field, e.reason());
            return null;
        }
    }

    Integer quantity(String field) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return Values.quantity(value);
        } catch (BadValue e) {
            fail(field, e.reason());
            return null;
        }
    }

    Boolean flag(String field) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return Values.flag(value);
        } catch (BadValue e) {
            fail(field, e.reason());
            return null;
        }
    }

    String phone(String field) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return Values.phone(value);
        } catch (BadValue e) {
            fail(field, e.reason());
            return null;
        }
    }

    /** Reports the field's cell: {@code code} names the reason in the imports messages (imports.reason.*). */
    void fail(String field, String code, Object... args) {
        fail(field, Reason.of(code, args));
    }

    void fail(String field, Reason reason) {
        errors.add(new RowError(row.number(), columns.header(field), reason));
    }
}
