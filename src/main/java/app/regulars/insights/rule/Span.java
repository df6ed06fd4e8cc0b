package app.regulars.insights.rule;

/** Where a node stands in the rule's text: 1-based line and column, and its length in characters. */
public record Span(int line, int column, int length) {

    /** For nodes that were not typed (built in the console's builder or read from JSON). */
    public static final Span NONE = new Span(0, 0, 0);
}
