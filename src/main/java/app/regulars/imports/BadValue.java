package app.regulars.imports;

/**
 * A cell that cannot be used, with a reason fit for the error report (a code of the imports
 * messages, see {@link Reason}). The reason never repeats the value: it may be personal data. No
 * stack trace: bad cells are expected input, not bugs.
 */
final class BadValue extends RuntimeException {

    private final transient Reason reason;

    BadValue(String code) {
        super(code, null, false, false);
        this.reason = Reason.of(code);
    }

    Reason reason() {
        return reason;
    }
}
