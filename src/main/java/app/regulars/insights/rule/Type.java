package app.regulars.insights.rule;

/** What a value in a rule is: every comparison needs both sides of one type. */
public enum Type {
    NUMBER, TEXT, DATE, BOOLEAN
}
