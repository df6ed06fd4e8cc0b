package app.regulars.imports;

import app.regulars.platform.ApiProblem;

/**
 * What a job that did not simply succeed says: in English for the API and the command line, and by
 * code (a key of the imports messages) so that the console says it in its user's language.
 */
record JobMessage(String code, String english) {

    static final JobMessage INTERRUPTED = new JobMessage("imports.message.interrupted",
            "interrupted before it finished; import the same file again (same source) to complete it: nothing is duplicated");
    static final JobMessage FAILED_UNEXPECTEDLY = new JobMessage("imports.message.failedUnexpectedly",
            "failed unexpectedly; batches already applied stay. " + INTERRUPTED.english);
    static final JobMessage HAS_ERRORS = new JobMessage("imports.message.hasErrors",
            "the file has errors; nothing was imported. Fix them, or import with skip-invalid");
    static final JobMessage SKIPPED_ERRORS = new JobMessage("imports.message.skippedErrors",
            "imported; rows with errors were skipped (see the error report)");
    static final JobMessage CUSTOMERS_REFUSED = new JobMessage("imports.message.customersRefused",
            "the customers module refused a row that passed validation; rows before it were imported. Fix the rows in "
                    + "the error report and import the same file again: nothing is duplicated");
    static final JobMessage RECEIPTS_REFUSED = new JobMessage("imports.message.receiptsRefused",
            "the receipts module refused a batch that passed validation; batches before it were imported. Fix the "
                    + "rows in the error report and import the same file again: nothing is duplicated");

    /** A file that could not be read: the problem's own code when it gives one (imports.file.…). */
    static JobMessage of(ApiProblem problem) {
        if (problem.errors().isEmpty()) {
            return new JobMessage(null, problem.getMessage());
        }
        ApiProblem.FieldError first = problem.errors().getFirst();
        return new JobMessage(first.code(), first.reason());
    }
}
