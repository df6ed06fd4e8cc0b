package app.regulars.imports;

/** One thing wrong in the file: the row as Excel numbers it, the column header, and why. Never the value. */
record RowError(long row, String column, Reason reason) {}
