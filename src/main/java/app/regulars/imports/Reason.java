package app.regulars.imports;

import java.util.Arrays;
import java.util.List;

/**
 * Why a cell or a row cannot be imported: a code naming {@code imports.reason.<code>} in the imports
 * messages, and its arguments (a row number, a limit), so that the report can be read in the
 * reader's language. Arguments are never cell values: those may be personal data.
 */
record Reason(String code, List<String> args) {

    /** What another module refused a row with: its (English) reason, the same in every language. */
    static final String GIVEN = "given";

    static Reason of(String code, Object... args) {
        return new Reason(code, Arrays.stream(args).map(String::valueOf).toList());
    }

    static Reason given(String text) {
        return of(GIVEN, text);
    }

    String key() {
        return "imports.reason." + code;
    }
}
