package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;
import java.util.Arrays;
import java.util.List;

/**
 * Why a cell or a row cannot be imported: a code naming {@code imports.reason.<code>} in the imports
 * messages, and its arguments (a row number, a limit), so that the report can be read in the
 * reader's language. Arguments are never cell values: those may be personal data.
 *
 * @param english what another module refused the row with, in its own (API) English, which the
 *                stored report keeps; null for this module's own reasons
 */
record Reason(String code, List<String> args, String english) {

    /** A refusal of another module that came without a code: its English, the same in every language. */
    static final String GIVEN = "given";

    Reason(String code, List<String> args) {
        this(code, args, null);
    }

    static Reason of(String code, Object... args) {
        return new Reason(code, Arrays.stream(args).map(String::valueOf).toList());
    }

    static Reason given(String text) {
        return of(GIVEN, text);
    }

    /**
     * What another module (customer registration, receipt intake) refused a row with: its code, a
     * message key of that module, and argument, so the reason reads in the user's language too.
     */
    static Reason refused(FieldError error) {
        if (error.code() == null) {
            return given(error.reason());
        }
        return new Reason(error.code(), error.argument() == null ? List.of() : List.of(error.argument()), error.reason());
    }

    /** The message key: another module's codes are keys of its own messages already. */
    String key() {
        return code.contains(".") ? code : "imports.reason." + code;
    }
}
