package app.regulars.insights.rule;

import java.util.List;

/** The text of a rule does not parse: where, what was expected and what was found instead. */
public class RuleSyntaxError extends RuleError {

    private final int line;
    private final int column;

    /** @param message what was expected and found, one of the {@code EXPECTED_FOUND…} messages */
    RuleSyntaxError(Span at, RuleMessage message) {
        super(List.of(new Problem(at, message)));
        this.line = at.line();
        this.column = at.column();
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
