package app.regulars.access;

/** The outcome of a user changing their own password. */
public enum PasswordChange {
    CHANGED,
    WRONG_CURRENT_PASSWORD,
    TOO_SHORT,
    SAME_AS_CURRENT
}
