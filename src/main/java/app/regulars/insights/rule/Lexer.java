package app.regulars.insights.rule;

import app.regulars.insights.rule.RuleMessage.Code;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Splits a rule's text into tokens with their line and column (1-based, in UTF-16 characters). */
final class Lexer {

    enum Kind { IDENT, NUMBER, STRING, DATE, DURATION, LPAREN, RPAREN, COMMA, OPERATOR, END }

    /** One token; {@code value} is the String, BigDecimal, LocalDate or Integer (days) it stands for. */
    record Token(Kind kind, String text, Object value, Span span) {

        boolean is(Kind k) {
            return kind == k;
        }

        boolean isOperator(String symbol) {
            return kind == Kind.OPERATOR && text.equals(symbol);
        }

        /** Keywords are identifiers read case-insensitively: AND, And and and are one word. */
        boolean isKeyword(String word) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(word);
        }

        /** The error of finding this token where {@code expected} was: the token as typed, or the end. */
        RuleSyntaxError unexpected(RuleMessage expected) {
            return new RuleSyntaxError(span, kind == Kind.END ? RuleMessage.of(Code.EXPECTED_FOUND_END, expected)
                    : RuleMessage.of(Code.EXPECTED_FOUND, expected, text));
        }
    }

    /** The longest duration a rule can write: five digits (the JSON form keeps to it too). */
    static final int MAX_DAYS = 99_999;

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        return new Lexer(text).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                tokens.add(new Token(Kind.END, "", null, span(pos, 0)));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c) || c == '\u3000') {
                pos++;
            } else if (c == '#') { // a comment runs to the end of its line
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        char c = text.charAt(pos);
        if (c == '(' || c == '（') {
            pos++;
            return new Token(Kind.LPAREN, "(", null, span(start, 1));
        }
        if (c == ')' || c == '）') {
            pos++;
            return new Token(Kind.RPAREN, ")", null, span(start, 1));
        }
        if (c == ',' || c == '，') {
            pos++;
            return new Token(Kind.COMMA, ",", null, span(start, 1));
        }
        if (c == '"' || c == '“') {
            return string(start, c == '"' ? '"' : '”');
        }
        if (isDigit(c)) {
            return numberDateOrDuration(start);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            return new Token(Kind.IDENT, word, word, span(start, pos - start));
        }
        for (String op : new String[] {"!=", "<=", ">=", "<>", "==", "=", "<", ">", "+", "-", "*", "/"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                String symbol = switch (op) {
                    case "<>" -> "!=";
                    case "==" -> "=";
                    default -> op;
                };
                return new Token(Kind.OPERATOR, symbol, null, span(start, op.length()));
            }
        }
        throw unexpected(span(start, 1), Code.CONDITION_VALUE_OR_OPERATOR,
                new String(Character.toChars(text.codePointAt(pos))));
    }

    private Token string(int start, char close) {
        pos++;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == close) {
                pos++;
                return new Token(Kind.STRING, text.substring(start, pos), value.toString(), span(start, pos - start));
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\' && pos + 1 < text.length()) {
                char escaped = text.charAt(pos + 1);
                switch (escaped) {
                    case '"', '\\' -> value.append(escaped);
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    default -> throw unexpected(span(pos, 2), Code.ESCAPE, "\\" + escaped);
                }
                pos += 2;
                continue;
            }
            value.append(c);
            pos++;
        }
        RuleMessage expected = RuleMessage.of(Code.CLOSING_QUOTE, String.valueOf(close),
                String.valueOf(start - lineStart + 1));
        throw new RuleSyntaxError(span(pos, 0), RuleMessage.of(pos >= text.length() ? Code.EXPECTED_FOUND_END
                : Code.EXPECTED_FOUND_END_OF_LINE, expected));
    }

    private Token numberDateOrDuration(int start) {
        // 2025-01-31 is a date, 90d a duration, anything else of digits and one dot a number.
        if (matchesDate(start)) {
            pos = start + 10;
            String word = text.substring(start, pos);
            try {
                return new Token(Kind.DATE, word, LocalDate.parse(word), span(start, 10));
            } catch (DateTimeException e) {
                throw unexpected(span(start, 10), Code.REAL_DATE, word);
            }
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == 'd' && (pos + 1 >= text.length() || !isIdentPart(text.charAt(pos + 1)))) {
            String digits = text.substring(start, pos);
            pos++;
            if (digits.length() > String.valueOf(MAX_DAYS).length()) {
                throw unexpected(span(start, pos - start), RuleMessage.of(Code.DAYS_UP_TO, String.valueOf(MAX_DAYS)),
                        text.substring(start, pos));
            }
            return new Token(Kind.DURATION, text.substring(start, pos), Integer.parseInt(digits), span(start, pos - start));
        }
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
            pos++;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos < text.length() && isIdentPart(text.charAt(pos))) {
            int end = pos;
            while (end < text.length() && isIdentPart(text.charAt(end))) {
                end++;
            }
            throw unexpected(span(start, end - start), Code.NUMBER_OR_DAYS, text.substring(start, end));
        }
        String word = text.substring(start, pos);
        return new Token(Kind.NUMBER, word, new BigDecimal(word), span(start, pos - start));
    }

    private boolean matchesDate(int start) {
        if (start + 10 > text.length()) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            char c = text.charAt(start + i);
            boolean ok = i == 4 || i == 7 ? c == '-' : isDigit(c);
            if (!ok) {
                return false;
            }
        }
        return start + 10 >= text.length() || !isIdentPart(text.charAt(start + 10));
    }

    private static RuleSyntaxError unexpected(Span at, Code expected, String found) {
        return unexpected(at, RuleMessage.of(expected), found);
    }

    private static RuleSyntaxError unexpected(Span at, RuleMessage expected, String found) {
        return new RuleSyntaxError(at, RuleMessage.of(Code.EXPECTED_FOUND, expected, found));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private Span span(int start, int length) {
        return new Span(line, start - lineStart + 1, length);
    }
}
