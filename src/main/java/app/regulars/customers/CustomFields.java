package app.regulars.customers;

import app.regulars.platform.ApiProblem;
import java.util.List;
import java.util.Map;

/**
 * Run-time field definitions and their validation, for the API, the console and imports (which map
 * file columns to {@code custom.<key>}). Definitions take effect at once, without a restart.
 */
public interface CustomFields {

    /** Active fields, oldest first. */
    List<CustomField> definitions();

    /** Active and deactivated fields, oldest first. */
    List<CustomField> allDefinitions();

    /** Creates or changes a field (a deactivated one is reactivated); refuses bad definitions naming the field. */
    CustomField define(CustomField field);

    /** Deactivates a field: it disappears from forms and validation, stored values are kept. */
    void deactivate(String key);

    /**
     * Checks raw text values ("" = no value) against the active definitions: type, choice
     * membership and, when {@code requireAll}, every required field. Never throws for bad values.
     */
    Validated validate(Map<String, String> raw, boolean requireAll);

    /**
     * {@link #validate(Map, boolean)} against definitions the caller read once: an import or a batch
     * checks thousands of rows without reading the definitions for each. Touches no database.
     */
    Validated validate(Map<String, String> raw, boolean requireAll, List<CustomField> definitions);

    /** Typed values (String, BigDecimal, LocalDate) of the fields that had one, or what was wrong. */
    record Validated(Map<String, Object> values, List<ApiProblem.FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }

        /** Throws the errors as one 400 problem, each naming {@code custom.<key>}. */
        public Map<String, Object> orThrow() {
            if (!ok()) {
                throw ApiProblem.invalid(errors);
            }
            return values;
        }
    }
}
