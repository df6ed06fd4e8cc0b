package app.regulars.imports;

/**
 * How to read one file.
 *
 * @param storeCode   store for files without a store column (receipts) or registration store (customers)
 * @param source      the name receipts are idempotent under, with their number; default: file name
 *                    without extension, so importing the same file again duplicates nothing
 * @param idSource    the system the file's customer ids (external_id) belong to; default: {@code source}
 * @param skipInvalid apply the valid rows and report the bad ones, instead of applying nothing
 * @param dateFormat  a java.time pattern ("dd/MM/yyyy HH:mm") when dates are not year-first
 * @param timezone    zone of the file's local times; default: the store's, else Asia/Shanghai
 */
public record ImportOptions(String storeCode, String source, String idSource, boolean skipInvalid,
                            String dateFormat, String timezone) {

    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null, false, null, null);
    }

    public ImportOptions withSkipInvalid(boolean skip) {
        return new ImportOptions(storeCode, source, idSource, skip, dateFormat, timezone);
    }

    public ImportOptions withStore(String code) {
        return new ImportOptions(code, source, idSource, skipInvalid, dateFormat, timezone);
    }

    public ImportOptions withSource(String name) {
        return new ImportOptions(storeCode, name, idSource, skipInvalid, dateFormat, timezone);
    }

    /** These options with the source defaulted to the file name without its extension. */
    public ImportOptions withDefaultSourceFor(String fileName) {
        return withDefaultSource(fileName);
    }

    ImportOptions withDefaultSource(String fileName) {
        if (source != null && !source.isBlank()) {
            return this;
        }
        String base = fileName;
        for (String ext : new String[] {".csv.gz", ".gz", ".csv", ".xlsx", ".txt", ".tsv"}) {
            if (base.toLowerCase(java.util.Locale.ROOT).endsWith(ext)) {
                base = base.substring(0, base.length() - ext.length());
                break;
            }
        }
        return withSource(base);
    }

    String customerIdSource() {
        return idSource == null || idSource.isBlank() ? source : idSource;
    }
}
