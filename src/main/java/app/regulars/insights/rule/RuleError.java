package app.regulars.insights.rule;

import java.util.List;

/**
 * A rule that cannot be used, with every problem found and where: a line and column of the rule's text
 * (spans of rules read from JSON point into their canonical text), or a JSON path.
 */
public class RuleError extends RuntimeException {

    /**
     * One thing wrong: where (span, or {@link Span#NONE} with a JSON path) and what, as a
     * {@link RuleMessage} the console says in the reader's language and the API in English.
     */
    public record Problem(Span span, String path, RuleMessage message) {

        public Problem(Span span, RuleMessage message) {
            this(span, null, message);
        }

        public boolean positioned() {
            return span != null && span.line() > 0;
        }

        /** What is wrong, in the API's English, without where. */
        public String english() {
            return message.english();
        }

        /** Where and what: "line 1, column 14: expected …", or "rule.parts[1].operator: …" for JSON. */
        public RuleMessage located() {
            if (positioned()) {
                return RuleMessage.of(RuleMessage.Code.AT, String.valueOf(span.line()), String.valueOf(span.column()),
                        message);
            }
            return path == null || path.isEmpty() ? message : RuleMessage.of(RuleMessage.Code.AT_PATH, path, message);
        }

        /** {@link #located()} in English. */
        public String describe() {
            return located().english();
        }
    }

    private final transient List<Problem> problems;

    public RuleError(List<Problem> problems) {
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The first problem, in English; said when asked, as most errors are caught and said otherwise. */
    @Override
    public String getMessage() {
        return problems.isEmpty() ? "invalid rule" : problems.getFirst().describe();
    }
}
