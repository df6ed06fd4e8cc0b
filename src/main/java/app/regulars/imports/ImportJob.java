package app.regulars.imports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;

/**
 * An import as the console, the API and the command line see it. {@code progressPercent} covers both
 * passes (validation 0–50, applying 50–100). {@code facts} holds counts such as receipts, lines,
 * customers and the total in cents of what was applied; {@code message} explains a rejection or
 * failure, including that re-running the same file completes an interrupted import, in English;
 * {@code messageCode} is its key in the imports messages, for the console (null for jobs finished
 * before messages had codes: the English is all there is).
 */
public record ImportJob(long id, ImportType type, String fileName, String status, long totalRows,
                        long processedRows, long appliedCount, long errorCount, int progressPercent,
                        boolean hasErrorReport, String message, @JsonIgnore String messageCode,
                        Map<String, Object> facts,
                        Instant createdAt, Instant finishedAt, String createdBy) {

    public static final String QUEUED = "queued";
    public static final String VALIDATING = "validating";
    public static final String APPLYING = "applying";
    public static final String DONE = "done";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";

    public boolean finished() {
        return DONE.equals(status) || REJECTED.equals(status) || FAILED.equals(status);
    }
}
