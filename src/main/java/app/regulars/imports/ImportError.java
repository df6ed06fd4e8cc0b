package app.regulars.imports;

/**
 * One row of an import's error report as a person reads it: the row as the user's spreadsheet numbers
 * it, the column header, and the reason in the reader's language. Never the cell value.
 */
public record ImportError(long row, String column, String reason) {}
