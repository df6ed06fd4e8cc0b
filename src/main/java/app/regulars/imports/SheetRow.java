package app.regulars.imports;

/**
 * One data row of an import file. {@code number} is the row number the user sees in Excel (or the
 * line number of a CSV record), so error reports point where people look.
 */
record SheetRow(long number, String[] cells) {

    String cell(int column) {
        if (column < 0 || column >= cells.length) {
            return null;
        }
        String value = cells[column];
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    boolean isBlank() {
        for (String c : cells) {
            if (c != null && !c.isBlank()) {
                return false;
            }
        }
        return true;
    }
}
