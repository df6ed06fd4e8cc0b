package app.regulars.insights.rule;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the canonical text of a rule: lower-case keywords, single spaces, only the parentheses that
 * keep the tree's shape. Parsing the printed text gives back an equal rule (spans aside), which is
 * what lets the builder and the text mode show one rule.
 */
final class Printer {

    private Printer() {}

    static String print(Rule rule) {
        StringBuilder out = new StringBuilder();
        rule(rule, out);
        return out.toString();
    }

    static String print(Value value) {
        StringBuilder out = new StringBuilder();
        value(value, out);
        return out.toString();
    }

    private static void rule(Rule rule, StringBuilder out) {
        switch (rule) {
            case Rule.Or or -> group(or.parts(), " or ", out, part -> part instanceof Rule.Or);
            case Rule.And and -> group(and.parts(), " and ", out,
                    part -> part instanceof Rule.Or || part instanceof Rule.And);
            case Rule.Not not when not.part() instanceof Rule.In in -> {
                value(in.left(), out);
                out.append(" not in ");
                literals(in.values(), out);
            }
            case Rule.Not not -> {
                out.append("not ");
                boolean parens = not.part() instanceof Rule.And || not.part() instanceof Rule.Or;
                parenthesised(not.part(), parens, out);
            }
            case Rule.Compare c -> {
                value(c.left(), out);
                out.append(' ').append(c.operator().symbol()).append(' ');
                value(c.right(), out);
            }
            case Rule.In in -> {
                value(in.left(), out);
                out.append(" in ");
                literals(in.values(), out);
            }
            case Rule.HasTag tag -> out.append("tag(").append(quote(tag.tag())).append(')');
            case Rule.InSegment segment -> out.append("segment(").append(quote(segment.segment())).append(')');
            case Rule.Within within -> out.append(within.field().name()).append(" within ").append(within.days()).append('d');
        }
    }

    private static void group(List<Rule> parts, String joiner, StringBuilder out,
                              java.util.function.Predicate<Rule> needsParens) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an empty group has no text form");
        }
        if (parts.size() == 1) {
            rule(parts.getFirst(), out);
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(joiner);
            }
            Rule part = parts.get(i);
            // A one-part group prints as its part, so judge the part it will print as.
            while ((part instanceof Rule.And a && a.parts().size() == 1) || (part instanceof Rule.Or o && o.parts().size() == 1)) {
                part = part instanceof Rule.And a ? a.parts().getFirst() : ((Rule.Or) part).parts().getFirst();
            }
            parenthesised(part, needsParens.test(part), out);
        }
    }

    private static void parenthesised(Rule rule, boolean parens, StringBuilder out) {
        if (parens) {
            out.append('(');
        }
        rule(rule, out);
        if (parens) {
            out.append(')');
        }
    }

    private static void literals(List<Value.Literal> values, StringBuilder out) {
        out.append('(');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            value(values.get(i), out);
        }
        out.append(')');
    }

    private static int precedence(Value v) {
        if (v instanceof Value.Arithmetic a) {
            return a.operator() == '+' || a.operator() == '-' ? 1 : 2;
        }
        return 3;
    }

    private static void value(Value value, StringBuilder out) {
        switch (value) {
            case Value.NumberLiteral n -> out.append(n.value().toPlainString());
            case Value.TextLiteral t -> out.append(quote(t.value()));
            case Value.DateLiteral d -> out.append(d.value());
            case Value.BooleanLiteral b -> out.append(b.value());
            case Value.Field f -> out.append(f.name());
            case Value.Arithmetic a -> {
                int p = precedence(a);
                operand(a.left(), precedence(a.left()) < p, out);
                out.append(' ').append(a.operator()).append(' ');
                // Left-associative: a right operand of the same precedence needs parentheses to stay right.
                operand(a.right(), precedence(a.right()) <= p, out);
            }
            case Value.Aggregate a -> aggregate(a, out);
        }
    }

    private static void operand(Value v, boolean parens, StringBuilder out) {
        if (parens) {
            out.append('(');
        }
        value(v, out);
        if (parens) {
            out.append(')');
        }
    }

    private static void aggregate(Value.Aggregate a, StringBuilder out) {
        out.append(a.function()).append('(');
        StringBuilder args = new StringBuilder();
        if (a.argument() != null) {
            boolean bare = Catalogue.aggregate(a.function())
                    .map(e -> e.argumentKind() == Catalogue.ArgumentKind.DIMENSION).orElse(false)
                    && RuleText.isIdentifier(a.argument());
            args.append(bare ? a.argument() : quote(a.argument()));
        }
        String window = window(a.window());
        if (!window.isEmpty()) {
            separate(args).append(window);
        }
        for (Value.Filter f : a.filters()) {
            separate(args).append(filter(f));
        }
        out.append(args).append(')');
    }

    private static StringBuilder separate(StringBuilder args) {
        return args.isEmpty() ? args : args.append(", ");
    }

    static String window(Window window) {
        return switch (window) {
            case null -> "";
            case Window.AllTime all -> "";
            case Window.Rolling r -> r.days() + "d";
            case Window.Calendar c -> c.period();
            case Window.Between b -> "between(" + b.from() + ", " + b.to() + ")";
            case Window.AroundHoliday h -> "around(" + quote(h.holiday()) + ", " + h.days() + "d)";
        };
    }

    private static String filter(Value.Filter f) {
        boolean bool = Catalogue.BOOLEAN_FILTER.equals(f.dimension());
        List<String> shown = f.values().stream()
                .map(v -> bool && (v.equals("true") || v.equals("false")) ? v : quote(v))
                .toList();
        if (shown.size() == 1) {
            return f.dimension() + (f.negated() ? " != " : " = ") + shown.getFirst();
        }
        return f.dimension() + (f.negated() ? " not in (" : " in (") + shown.stream().collect(Collectors.joining(", ")) + ")";
    }

    static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
