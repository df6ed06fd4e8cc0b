package app.regulars.insights.rule;

import java.util.List;

/**
 * A rule that cannot be used, with every problem found and where: a line and column of the rule's text
 * (spans of rules read from JSON point into their canonical text), or a JSON path.
 */
public class RuleError extends RuntimeException {

    /** One thing wrong: where (span, or {@link Span#NONE} with a JSON path) and what was expected. */
    public record Problem(Span span, String path, String message) {

        public Problem(Span span, String message) {
            this(span, null, message);
        }

        /** "line 1, column 14: expected …", or "rule.parts[1].operator: …" for JSON. */
        public String describe() {
            if (span != null && span.line() > 0) {
                return "line " + span.line() + ", column " + span.column() + ": " + message;
            }
            return path == null || path.isEmpty() ? message : path + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public RuleError(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid rule" : problems.getFirst().describe());
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
