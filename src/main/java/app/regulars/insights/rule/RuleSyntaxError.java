package app.regulars.insights.rule;

import java.util.List;

/** The text of a rule does not parse: where, what was expected and what was found instead. */
public class RuleSyntaxError extends RuleError {

    private final int line;
    private final int column;
    private final String expected;
    private final String found;

    public RuleSyntaxError(Span at, String expected, String found) {
        super(List.of(new Problem(at, "expected " + expected + ", found " + found)));
        this.line = at.line();
        this.column = at.column();
        this.expected = expected;
        this.found = found;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
