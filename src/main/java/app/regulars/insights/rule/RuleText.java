package app.regulars.insights.rule;

import java.util.Locale;
import java.util.regex.Pattern;

/** The text form of rules: {@code spent(90d) > 5000 and orders(90d) > 3}. See docs/rule-language.md. */
public final class RuleText {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RuleText() {}

    /**
     * Reads a rule; nodes carry the line and column they came from.
     *
     * @throws RuleSyntaxError naming line, column, what was expected and what was found
     */
    public static Rule parse(String text) {
        return Parser.parse(text);
    }

    /** The canonical text; {@code parse(print(r))} equals {@code r} apart from spans. */
    public static String print(Rule rule) {
        return Printer.print(rule);
    }

    public static String print(Value value) {
        return Printer.print(value);
    }

    public static String print(Window window) {
        return Printer.window(window);
    }

    /** Whether a name can stand bare in the text (fields, filter dimensions, functions). */
    public static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches()
                && !Parser.KEYWORDS.contains(name.toLowerCase(Locale.ROOT));
    }
}
