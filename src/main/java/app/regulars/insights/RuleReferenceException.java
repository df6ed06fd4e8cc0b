package app.regulars.insights;

import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.Span;

/** A rule names something that does not exist (any more): a deleted custom field, tag or segment. */
public class RuleReferenceException extends RuntimeException {

    private final transient RuleMessage reason;
    private final transient Span span;

    public RuleReferenceException(RuleMessage reason, Span span) {
        this.reason = reason;
        this.span = span;
    }

    /** What it names and cannot find, for the reader's language. */
    public RuleMessage reason() {
        return reason;
    }

    public Span span() {
        return span;
    }

    /** In the API's English. */
    @Override
    public String getMessage() {
        return reason.english();
    }
}
