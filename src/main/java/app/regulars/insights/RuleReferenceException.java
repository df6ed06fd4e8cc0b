package app.regulars.insights;

import app.regulars.insights.rule.Span;

/** A rule names something that does not exist (any more): a deleted custom field, tag or segment. */
public class RuleReferenceException extends RuntimeException {

    private final transient Span span;

    public RuleReferenceException(String message, Span span) {
        super(message);
        this.span = span;
    }

    public Span span() {
        return span;
    }
}
