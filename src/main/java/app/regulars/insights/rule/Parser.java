package app.regulars.insights.rule;

import app.regulars.insights.rule.Lexer.Kind;
import app.regulars.insights.rule.Lexer.Token;
import app.regulars.insights.rule.RuleMessage.Code;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive descent over the text form. Precedence: {@code not} over {@code and} over {@code or};
 * {@code * /} over {@code + -}, both left-associative. A parenthesis can open a group of conditions or
 * an arithmetic expression; the parser tries the group first and falls back to the expression, and
 * reports whichever attempt got further.
 */
final class Parser {

    static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "within", "true", "false");
    private static final Set<String> COMPARISONS = Set.of("=", "!=", "<", "<=", ">", ">=");

    private final List<Token> tokens;
    private int at;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Rule parse(String text) {
        Parser parser = new Parser(Lexer.tokens(text == null ? "" : text));
        if (parser.peek().is(Kind.END)) {
            throw new RuleSyntaxError(parser.peek().span(),
                    RuleMessage.of(Code.EXPECTED_FOUND_EMPTY_RULE, RuleMessage.of(Code.CONDITION)));
        }
        Rule rule = parser.or();
        if (!parser.peek().is(Kind.END)) {
            throw parser.error(Code.AND_OR_END);
        }
        return rule;
    }

    private Rule or() {
        Token start = peek();
        List<Rule> parts = new ArrayList<>(List.of(and()));
        while (peek().isKeyword("or")) {
            take();
            parts.add(and());
        }
        return parts.size() == 1 ? parts.getFirst() : new Rule.Or(List.copyOf(parts), spanFrom(start));
    }

    private Rule and() {
        Token start = peek();
        List<Rule> parts = new ArrayList<>(List.of(unary()));
        while (peek().isKeyword("and")) {
            take();
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.getFirst() : new Rule.And(List.copyOf(parts), spanFrom(start));
    }

    private Rule unary() {
        Token start = peek();
        if (start.isKeyword("not")) {
            take();
            Rule part = unary();
            return new Rule.Not(part, spanFrom(start));
        }
        return primary();
    }

    private Rule primary() {
        Token start = peek();
        // tag("x") is a condition; a function of that name followed by an operator is a value.
        if ((start.isKeyword("tag") || start.isKeyword("segment")) && peek(1).is(Kind.LPAREN)
                && !followedByOperator(at + 1)) {
            take();
            take();
            Token name = expect(Kind.STRING, start.isKeyword("tag") ? Code.TAG_NAME : Code.SEGMENT_NAME);
            expect(Kind.RPAREN, Code.CLOSE);
            return start.isKeyword("tag") ? new Rule.HasTag((String) name.value(), spanFrom(start))
                    : new Rule.InSegment((String) name.value(), spanFrom(start));
        }
        if (start.is(Kind.LPAREN)) {
            return groupOrComparison(start);
        }
        if (start.is(Kind.END) || start.isKeyword("and") || start.isKeyword("or") || start.is(Kind.RPAREN)) {
            throw error(Code.CONDITION);
        }
        return comparison();
    }

    /** {@code (a or b)} is a group; {@code (spent(90d) + 1) > 2} an expression: try one, then the other. */
    private Rule groupOrComparison(Token start) {
        int saved = at;
        RuleSyntaxError asGroup;
        try {
            take();
            Rule inner = or();
            expect(Kind.RPAREN, Code.CLOSE_OR_AND_OR);
            if (!startsComparisonOrArithmetic(peek(), peek(1))) {
                return inner;
            }
            asGroup = error(Code.AND_OR_CLOSE_END);
        } catch (RuleSyntaxError e) {
            asGroup = e;
        }
        int groupEnd = at;
        at = saved;
        try {
            return comparison();
        } catch (RuleSyntaxError asExpression) {
            // Report the interpretation that read further: that is where the author went wrong.
            if (isAfter(asExpression, asGroup)) {
                throw asExpression;
            }
            at = groupEnd;
            throw asGroup;
        }
    }

    private static boolean isAfter(RuleSyntaxError a, RuleSyntaxError b) {
        return a.line() > b.line() || (a.line() == b.line() && a.column() > b.column());
    }

    /** Whether the parenthesis at {@code open} closes and is followed by a comparison or arithmetic. */
    private boolean followedByOperator(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is(Kind.LPAREN)) {
                depth++;
            } else if (t.is(Kind.RPAREN) && --depth == 0) {
                return startsComparisonOrArithmetic(tokens.get(Math.min(i + 1, tokens.size() - 1)),
                        tokens.get(Math.min(i + 2, tokens.size() - 1)));
            } else if (t.is(Kind.END)) {
                return false;
            }
        }
        return false;
    }

    private static boolean startsComparisonOrArithmetic(Token t, Token next) {
        return t.kind() == Kind.OPERATOR || t.isKeyword("in") || t.isKeyword("within")
                || (t.isKeyword("not") && next.isKeyword("in"));
    }

    private Rule comparison() {
        Token start = peek();
        Value left = expression();
        Token op = peek();
        if (op.kind() == Kind.OPERATOR && COMPARISONS.contains(op.text())) {
            take();
            Value right = expression();
            return new Rule.Compare(left, operator(op.text()), right, spanFrom(start));
        }
        if (op.isKeyword("in")) {
            take();
            return new Rule.In(left, literalList(), spanFrom(start));
        }
        if (op.isKeyword("not") && peek(1).isKeyword("in")) {
            take();
            take();
            Span span = spanFrom(start);
            return new Rule.Not(new Rule.In(left, literalList(), spanFrom(start)), span);
        }
        if (op.isKeyword("within")) {
            if (!(left instanceof Value.Field field)) {
                throw new RuleSyntaxError(left.span(), RuleMessage.of(Code.WITHIN_AFTER_NON_FIELD, describe(left)));
            }
            take();
            Token days = expect(Kind.DURATION, Code.DAYS);
            return new Rule.Within(field, (Integer) days.value(), spanFrom(start));
        }
        throw error(Code.COMPARISON);
    }

    /** What stands before a {@code within} instead of a field. */
    private static RuleMessage describe(Value v) {
        return switch (v) {
            case Value.Literal l -> RuleMessage.of(Code.FOUND_LITERAL);
            case Value.Aggregate a -> RuleMessage.of(Code.FOUND_FUNCTION, a.function());
            default -> RuleMessage.of(Code.FOUND_CALCULATION);
        };
    }

    private static Rule.Operator operator(String symbol) {
        for (Rule.Operator o : Rule.Operator.values()) {
            if (o.symbol().equals(symbol)) {
                return o;
            }
        }
        throw new IllegalArgumentException(symbol);
    }

    private Value expression() {
        Token start = peek();
        Value left = term();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            char op = take().text().charAt(0);
            Value right = term();
            left = new Value.Arithmetic(left, op, right, spanFrom(start));
        }
        return left;
    }

    private Value term() {
        Token start = peek();
        Value left = factor();
        while (peek().isOperator("*") || peek().isOperator("/")) {
            char op = take().text().charAt(0);
            Value right = factor();
            left = new Value.Arithmetic(left, op, right, spanFrom(start));
        }
        return left;
    }

    private Value factor() {
        Token t = peek();
        if (t.is(Kind.LPAREN)) {
            take();
            Value inner = expression();
            expect(Kind.RPAREN, Code.CLOSE);
            return inner;
        }
        if (t.isOperator("-") && peek(1).is(Kind.NUMBER)) {
            take();
            Token number = take();
            return new Value.NumberLiteral(((BigDecimal) number.value()).negate(), spanFrom(t));
        }
        Optional<Value.Literal> literal = literal();
        if (literal.isPresent()) {
            return literal.get();
        }
        if (t.is(Kind.IDENT) && !KEYWORDS.contains(t.text().toLowerCase(java.util.Locale.ROOT))) {
            take();
            if (peek().is(Kind.LPAREN)) {
                return aggregate(t);
            }
            return new Value.Field(t.text(), t.span());
        }
        throw error(Code.VALUE);
    }

    private Optional<Value.Literal> literal() {
        Token t = peek();
        Value.Literal literal = switch (t.kind()) {
            case NUMBER -> new Value.NumberLiteral((BigDecimal) t.value(), t.span());
            case STRING -> new Value.TextLiteral((String) t.value(), t.span());
            case DATE -> new Value.DateLiteral((LocalDate) t.value(), t.span());
            case IDENT -> t.isKeyword("true") ? new Value.BooleanLiteral(true, t.span())
                    : t.isKeyword("false") ? new Value.BooleanLiteral(false, t.span()) : null;
            default -> null;
        };
        if (literal != null) {
            take();
        }
        return Optional.ofNullable(literal);
    }

    private List<Value.Literal> literalList() {
        expect(Kind.LPAREN, Code.VALUE_LIST);
        List<Value.Literal> values = new ArrayList<>();
        do {
            Token t = peek();
            if (t.isOperator("-") && peek(1).is(Kind.NUMBER)) {
                take();
                Token number = take();
                values.add(new Value.NumberLiteral(((BigDecimal) number.value()).negate(), spanFrom(t)));
                continue;
            }
            values.add(literal().orElseThrow(() -> error(Code.LIST_VALUE)));
        } while (takeIf(Kind.COMMA));
        expect(Kind.RPAREN, Code.COMMA_OR_CLOSE);
        return List.copyOf(values);
    }

    private Value aggregate(Token name) {
        expect(Kind.LPAREN, Code.OPEN);
        Optional<Catalogue.AggregateEntry> entry = Catalogue.aggregate(name.text());
        String argument = null;
        Window window = null;
        List<Value.Filter> filters = new ArrayList<>();
        if (!takeIf(Kind.RPAREN)) {
            if (entry.map(e -> e.argumentKind() != Catalogue.ArgumentKind.NONE).orElse(false)) {
                argument = argument(entry.get());
                if (!takeIf(Kind.COMMA)) {
                    expect(Kind.RPAREN, Code.COMMA_OR_CLOSE);
                    return new Value.Aggregate(name.text(), argument, new Window.AllTime(name.span()), List.of(),
                            spanFrom(name));
                }
            } else if (looksLikeArgument(entry.isEmpty())) {
                argument = (String) take().value();
                if (!takeIf(Kind.COMMA)) {
                    expect(Kind.RPAREN, Code.COMMA_OR_CLOSE);
                    return new Value.Aggregate(name.text(), argument, new Window.AllTime(name.span()), List.of(),
                            spanFrom(name));
                }
            }
            do {
                Token t = peek();
                if (isFilterStart()) {
                    filters.add(filter());
                } else {
                    Window w = window();
                    if (window != null) {
                        throw t.unexpected(RuleMessage.of(Code.ONE_WINDOW));
                    }
                    window = w;
                }
            } while (takeIf(Kind.COMMA));
            expect(Kind.RPAREN, Code.COMMA_OR_CLOSE);
        }
        return new Value.Aggregate(name.text(), argument, window == null ? new Window.AllTime(name.span()) : window,
                List.copyOf(filters), spanFrom(name));
    }

    private String argument(Catalogue.AggregateEntry entry) {
        Token t = peek();
        if ((t.is(Kind.IDENT) || t.is(Kind.STRING)) && !peek(1).is(Kind.OPERATOR)) {
            take();
            return (String) t.value();
        }
        throw error(switch (entry.argumentKind()) {
            case DIMENSION -> RuleMessage.of(Code.DIMENSION, RuleMessage.names(entry.arguments()));
            case COUPON_TEMPLATE -> RuleMessage.of(Code.COUPON_TEMPLATE);
            default -> RuleMessage.of(Code.EVENT_TYPE);
        });
    }

    /**
     * A quoted word first is an argument (the type checker refuses it where none is taken); for a
     * function the catalogue does not know, so is a bare word that is not a window.
     */
    private boolean looksLikeArgument(boolean unknownFunction) {
        Token t = peek();
        if (t.is(Kind.STRING)) {
            return true;
        }
        return unknownFunction && t.is(Kind.IDENT) && !Catalogue.isCalendarPeriod(t.text())
                && (peek(1).is(Kind.COMMA) || peek(1).is(Kind.RPAREN));
    }

    private boolean isFilterStart() {
        Token next = peek(1);
        return peek().is(Kind.IDENT) && (next.isOperator("=") || next.isOperator("!=") || next.isKeyword("in")
                || (next.isKeyword("not") && peek(2).isKeyword("in")));
    }

    private Window window() {
        Token t = peek();
        if (t.is(Kind.DURATION)) {
            take();
            return new Window.Rolling((Integer) t.value(), t.span());
        }
        if (t.is(Kind.IDENT) && Catalogue.isCalendarPeriod(t.text())) {
            take();
            return new Window.Calendar(t.text(), t.span());
        }
        if (t.isKeyword("between") && peek(1).is(Kind.LPAREN)) {
            take();
            take();
            Token from = expect(Kind.DATE, Code.FIRST_DAY);
            expect(Kind.COMMA, Code.COMMA);
            Token to = expect(Kind.DATE, Code.LAST_DAY);
            expect(Kind.RPAREN, Code.CLOSE);
            return new Window.Between((LocalDate) from.value(), (LocalDate) to.value(), spanFrom(t));
        }
        if (t.isKeyword("around") && peek(1).is(Kind.LPAREN)) {
            take();
            take();
            Token holiday = expect(Kind.STRING, Code.HOLIDAY);
            expect(Kind.COMMA, Code.COMMA);
            Token days = expect(Kind.DURATION, Code.DAYS);
            expect(Kind.RPAREN, Code.CLOSE);
            return new Window.AroundHoliday((String) holiday.value(), (Integer) days.value(), spanFrom(t));
        }
        RuleMessage expected = RuleMessage.of(Code.WINDOW_OR_FILTER);
        if (t.is(Kind.NUMBER)) {
            throw new RuleSyntaxError(t.span(), RuleMessage.of(Code.EXPECTED_FOUND_DAYS_WITHOUT_D, expected, t.text()));
        }
        Optional<String> meant = t.is(Kind.IDENT) ? Spelling.didYouMean(t.text(), Catalogue.CALENDAR_PERIODS)
                : Optional.empty();
        if (meant.isPresent()) {
            throw new RuleSyntaxError(t.span(), RuleMessage.of(Code.EXPECTED_FOUND_MISSPELT, expected, t.text(),
                    meant.get()));
        }
        throw t.unexpected(expected);
    }

    private Value.Filter filter() {
        Token dimension = take();
        boolean negated;
        List<String> values = new ArrayList<>();
        if (takeOperator("=")) {
            negated = false;
            values.add(filterValue());
        } else if (takeOperator("!=")) {
            negated = true;
            values.add(filterValue());
        } else {
            negated = peek().isKeyword("not");
            if (negated) {
                take();
            }
            take(); // in
            expect(Kind.LPAREN, Code.VALUE_LIST);
            do {
                values.add(filterValue());
            } while (takeIf(Kind.COMMA));
            expect(Kind.RPAREN, Code.COMMA_OR_CLOSE);
        }
        return new Value.Filter(dimension.text(), negated, List.copyOf(values), spanFrom(dimension));
    }

    private String filterValue() {
        Token t = peek();
        if (t.is(Kind.STRING) || t.isKeyword("true") || t.isKeyword("false") || t.is(Kind.NUMBER)) {
            take();
            return t.is(Kind.STRING) ? (String) t.value() : t.text().toLowerCase(java.util.Locale.ROOT);
        }
        throw error(Code.FILTER_VALUE);
    }

    private boolean takeOperator(String symbol) {
        if (peek().isOperator(symbol)) {
            take();
            return true;
        }
        return false;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(at);
        if (!t.is(Kind.END)) {
            at++;
        }
        return t;
    }

    private boolean takeIf(Kind kind) {
        if (peek().is(kind)) {
            take();
            return true;
        }
        return false;
    }

    private Token expect(Kind kind, Code expected) {
        if (!peek().is(kind)) {
            throw error(expected);
        }
        return take();
    }

    private RuleSyntaxError error(Code expected) {
        return error(RuleMessage.of(expected));
    }

    private RuleSyntaxError error(RuleMessage expected) {
        return peek().unexpected(expected);
    }

    /** From the first character of {@code start} to the last of the token before the current one. */
    private Span spanFrom(Token start) {
        Token last = tokens.get(Math.max(at - 1, 0));
        Span s = start.span();
        Span e = last.span();
        int length = s.line() == e.line() ? e.column() + e.length() - s.column() : s.length();
        return new Span(s.line(), s.column(), Math.max(length, 0));
    }
}
