package app.regulars.imports;

/**
 * A cell that cannot be used, with a reason fit for the error report. The reason never repeats the
 * value: it may be personal data. No stack trace: bad cells are expected input, not bugs.
 */
final class BadValue extends RuntimeException {

    BadValue(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
