package app.regulars.console;

import app.regulars.insights.rule.Catalogue;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleText;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Type;
import app.regulars.insights.rule.Value;
import app.regulars.insights.rule.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The no-code segment builder's model: the rule as a tree of groups and condition rows for the page to
 * render, and the edits the page's controls ask for. Every edit goes to the server with the rule's JSON
 * and comes back re-rendered, so the builder, the text mode and the saved JSON are one rule.
 *
 * <p>Paths name a node by the part indices from the root group ("" is the root, "1.0" the first part of
 * the second part). A {@code not} is a flag on the node it wraps. A statistic compared with another
 * statistic, or with a number times one, is a row with controls on both sides; other arithmetic is a
 * read-only "expression" row, edited in text mode.
 */
final class SegmentBuilder {

    /** A node as the page shows it. */
    sealed interface Node {
        String path();

        boolean negated();

        /** For the page, which renders groups and rows with different fragments. */
        default boolean isGroup() {
            return this instanceof Group;
        }
    }

    record Group(String path, boolean negated, boolean or, List<Node> parts) implements Node {}

    /**
     * A condition row. {@code kind}: value (left operator right), tag, segment or expression.
     * {@code operator}: =, !=, <, <=, >, >=, in, not_in or within. The right side is {@code value}, or,
     * when {@code right} is set, {@code factor} × another statistic ("last month less than half the
     * month before": {@code spent(last_month) < 0.5 * spent(prev_month…)}).
     */
    record Condition(String path, boolean negated, String kind, Side left, String operator, String value,
                     int days, String name, String text, Side right, String factor) implements Node {}

    /** The left side of a value row: a field or an aggregate with its window and filters. */
    record Side(String kind, String field, String function, String argument, String window, int windowDays,
                String period, String from, String to, String holiday, List<FilterRow> filters) {}

    record FilterRow(int index, String dimension, boolean negated, String values) {}

    private static final Span N = Span.NONE;

    private SegmentBuilder() {}

    /** The default rule of a new segment. */
    static Rule starter() {
        return new Rule.And(List.of(defaultCondition()), N);
    }

    private static Rule defaultCondition() {
        return new Rule.Compare(new Value.Field("days_since_last_purchase", N), Rule.Operator.GT,
                new Value.NumberLiteral(BigDecimal.valueOf(180), N), N);
    }

    // ---- rule → view

    /** The root is always shown as a group (a single condition is a group of one). */
    static Group view(Rule rule) {
        Rule root = rule instanceof Rule.And || rule instanceof Rule.Or ? rule : new Rule.And(List.of(rule), N);
        return (Group) node(root, "", false);
    }

    private static Node node(Rule rule, String path, boolean negated) {
        if (rule instanceof Rule.Not not && !negated && !(not.part() instanceof Rule.In)) {
            return node(not.part(), path, true);
        }
        return switch (rule) {
            case Rule.And and -> group(and.parts(), path, negated, false);
            case Rule.Or or -> group(or.parts(), path, negated, true);
            case Rule.HasTag tag -> new Condition(path, negated, "tag", null, null, null, 0, tag.tag(), null, null, null);
            case Rule.InSegment s -> new Condition(path, negated, "segment", null, null, null, 0, s.segment(), null, null,
                    null);
            case Rule.Within w -> new Condition(path, negated, "value", side(w.field()), "within", null, w.days(), null, null, null,
                    null);
            case Rule.Not not when not.part() instanceof Rule.In in && isSide(in.left()) ->
                    new Condition(path, negated, "value", side(in.left()), "not_in", literals(in.values()), 0, null, null,
                            null, null);
            case Rule.In in when isSide(in.left()) ->
                    new Condition(path, negated, "value", side(in.left()), "in", literals(in.values()), 0, null, null, null,
                            null);
            case Rule.Compare c when isSide(c.left()) && c.right() instanceof Value.Literal l ->
                    new Condition(path, negated, "value", side(c.left()), c.operator().symbol(), literal(l), 0, null, null,
                            null, null);
            case Rule.Compare c when isSide(c.left()) && Statistic.of(c.right()) != null -> new Condition(path, negated,
                    "value", side(c.left()), c.operator().symbol(), null, 0, null, null,
                    side(Statistic.of(c.right()).aggregate()), Statistic.of(c.right()).factor().toPlainString());
            default -> new Condition(path, negated, "expression", null, null, null, 0, null, RuleText.print(rule), null,
                    null);
        };
    }

    /** A right side the builder shows as "factor × statistic": a statistic, or a number times one. */
    private record Statistic(BigDecimal factor, Value.Aggregate aggregate) {

        static Statistic of(Value v) {
            return switch (v) {
                case Value.Aggregate a -> new Statistic(BigDecimal.ONE, a);
                case Value.Arithmetic x when x.operator() == '*' && x.left() instanceof Value.NumberLiteral n
                        && x.right() instanceof Value.Aggregate a -> new Statistic(n.value(), a);
                case null, default -> null;
            };
        }

        Value value() {
            return factor.compareTo(BigDecimal.ONE) == 0 ? aggregate
                    : new Value.Arithmetic(new Value.NumberLiteral(factor, N), '*', aggregate, N);
        }
    }

    private static Group group(List<Rule> parts, String path, boolean negated, boolean or) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            nodes.add(node(parts.get(i), path.isEmpty() ? String.valueOf(i) : path + "." + i, false));
        }
        return new Group(path, negated, or, nodes);
    }

    private static boolean isSide(Value v) {
        return v instanceof Value.Field || v instanceof Value.Aggregate;
    }

    private static Side side(Value v) {
        if (v instanceof Value.Field f) {
            return new Side("field", f.name(), null, null, null, 0, null, null, null, null, List.of());
        }
        Value.Aggregate a = (Value.Aggregate) v;
        List<FilterRow> filters = new ArrayList<>();
        for (int i = 0; i < a.filters().size(); i++) {
            Value.Filter f = a.filters().get(i);
            filters.add(new FilterRow(i, f.dimension(), f.negated(), String.join(", ", f.values())));
        }
        Window w = a.window();
        return switch (w) {
            case Window.Rolling r -> new Side("aggregate", null, a.function(), a.argument(), "rolling", r.days(), null,
                    null, null, null, filters);
            case Window.Calendar c -> new Side("aggregate", null, a.function(), a.argument(), "calendar", 0, c.period(),
                    null, null, null, filters);
            case Window.Between b -> new Side("aggregate", null, a.function(), a.argument(), "between", 0, null,
                    b.from().toString(), b.to().toString(), null, filters);
            case Window.AroundHoliday h -> new Side("aggregate", null, a.function(), a.argument(), "around", h.days(),
                    null, null, null, h.holiday(), filters);
            case Window.AllTime all -> new Side("aggregate", null, a.function(), a.argument(), "all_time", 0, null,
                    null, null, null, filters);
        };
    }

    private static String literals(List<Value.Literal> values) {
        return values.stream().map(SegmentBuilder::literal).collect(Collectors.joining(", "));
    }

    private static String literal(Value.Literal l) {
        return switch (l) {
            case Value.NumberLiteral n -> n.value().toPlainString();
            case Value.TextLiteral t -> t.value();
            case Value.DateLiteral d -> d.value().toString();
            case Value.BooleanLiteral b -> String.valueOf(b.value());
        };
    }

    // ---- edits

    /**
     * Applies one edit of the page's controls.
     *
     * @param types the type of each custom field by key (catalogue fields are typed by the catalogue)
     */
    static Rule apply(Rule rule, String op, String path, String value, int index, Map<String, Type> types) {
        Rule root = rule instanceof Rule.And || rule instanceof Rule.Or ? rule : new Rule.And(List.of(rule), N);
        int[] at = parse(path);
        String v = value == null ? "" : value.strip();
        // The statistic on either side of a comparison is edited by the same controls ("right-" for the right one).
        boolean right = op.startsWith("right-");
        UnaryOperator<Value.Aggregate> statistic = aggregateEdit(right ? op.substring("right-".length()) : op, v, index);
        if (statistic != null) {
            return editRow(root, at, row -> right ? row.withRightAggregate(statistic) : row.withAggregate(statistic));
        }
        return switch (op) {
            case "add-condition" -> edit(root, at, g -> withPart(g, defaultCondition()));
            case "add-group" -> edit(root, at, g -> withPart(g, new Rule.Or(List.of(defaultCondition()), N)));
            case "remove" -> at.length == 0 ? starter() : remove(root, at);
            case "set-join" -> edit(root, at, g -> unwrapped(g, inner -> switch (inner) {
                case Rule.And a when v.equals("or") -> new Rule.Or(a.parts(), N);
                case Rule.Or o when v.equals("and") -> new Rule.And(o.parts(), N);
                default -> inner;
            }));
            case "toggle-not" -> edit(root, at, n -> n instanceof Rule.Not not ? not.part() : new Rule.Not(n, N));
            case "set-kind" -> edit(root, at, n -> rewrap(n, switch (v) {
                case "tag" -> new Rule.HasTag("", N);
                case "segment" -> new Rule.InSegment("", N);
                default -> defaultCondition();
            }));
            case "set-name" -> edit(root, at, n -> unwrapped(n, inner -> switch (inner) {
                case Rule.HasTag t -> new Rule.HasTag(v, N);
                case Rule.InSegment s -> new Rule.InSegment(v, N);
                default -> inner;
            }));
            case "set-left-kind" -> editRow(root, at, row -> row.withLeft(v.equals("aggregate")
                    ? new Value.Aggregate("orders", null, new Window.Rolling(90, N), List.of(), N)
                    : new Value.Field("days_since_last_purchase", N), types));
            case "set-field" -> editRow(root, at, row -> row.withLeft(new Value.Field(v, N), types));
            case "set-right-kind" -> editRow(root, at, row -> row.withRightKind(v.equals("aggregate"), types));
            case "set-factor" -> editRow(root, at, row -> row.withFactor(v));
            case "set-operator" -> editRow(root, at, row -> row.withOperator(v, types));
            case "set-value" -> editRow(root, at, row -> row.withValue(v, types));
            case "set-days" -> editRow(root, at, row -> row.node() instanceof Rule.Within w
                    ? new Row(new Rule.Within(w.field(), days(v, w.days()), N)) : row);
            default -> throw new IllegalArgumentException("unknown builder edit " + op);
        };
    }

    /** An edit of a statistic's function, argument, window or filters; null for any other edit. */
    private static UnaryOperator<Value.Aggregate> aggregateEdit(String op, String v, int index) {
        return switch (op) {
            case "set-function" -> a -> new Value.Aggregate(v, defaultArgument(v), a.window(), a.filters(), N);
            case "set-argument" -> a -> new Value.Aggregate(a.function(), v, a.window(), a.filters(), N);
            case "set-window" -> a -> new Value.Aggregate(a.function(), a.argument(), window(v), a.filters(), N);
            case "set-window-days" -> a -> new Value.Aggregate(a.function(), a.argument(), switch (a.window()) {
                case Window.Rolling r -> new Window.Rolling(days(v, r.days()), N);
                case Window.AroundHoliday h -> new Window.AroundHoliday(h.holiday(), days(v, h.days()), N);
                default -> a.window();
            }, a.filters(), N);
            case "set-period" -> a -> new Value.Aggregate(a.function(), a.argument(), new Window.Calendar(v, N),
                    a.filters(), N);
            case "set-from", "set-to" -> a -> {
                Window.Between b = a.window() instanceof Window.Between x ? x
                        : new Window.Between(LocalDate.now().withDayOfMonth(1), LocalDate.now(), N);
                LocalDate day = date(v, op.equals("set-from") ? b.from() : b.to());
                return new Value.Aggregate(a.function(), a.argument(), op.equals("set-from")
                        ? new Window.Between(day, b.to(), N) : new Window.Between(b.from(), day, N), a.filters(), N);
            };
            case "set-holiday" -> a -> new Value.Aggregate(a.function(), a.argument(), new Window.AroundHoliday(v,
                    a.window() instanceof Window.AroundHoliday h ? h.days() : 7, N), a.filters(), N);
            case "add-filter" -> a -> new Value.Aggregate(a.function(), a.argument(), a.window(), append(a.filters(),
                    new Value.Filter(firstFilter(a.function()), false, List.of(""), N)), N);
            case "remove-filter" -> a -> new Value.Aggregate(a.function(), a.argument(), a.window(),
                    without(a.filters(), index), N);
            case "set-filter-dimension" -> filterEdit(index, f -> new Value.Filter(v, f.negated(),
                    v.equals(Catalogue.BOOLEAN_FILTER) ? List.of("true") : f.values(), N));
            case "set-filter-negated" -> filterEdit(index, f -> new Value.Filter(f.dimension(), v.equals("true"),
                    f.values(), N));
            case "set-filter-values" -> filterEdit(index, f -> new Value.Filter(f.dimension(), f.negated(),
                    split(v).isEmpty() ? List.of("") : split(v), N));
            default -> null;
        };
    }

    /** What a new filter filters by: the category where the statistic takes one, else its first filter. */
    private static String firstFilter(String function) {
        List<String> filters = Catalogue.aggregate(function).map(Catalogue.AggregateEntry::filters).orElse(List.of());
        return filters.isEmpty() || filters.contains("category") ? "category" : filters.getFirst();
    }

    private static UnaryOperator<Value.Aggregate> filterEdit(int index, UnaryOperator<Value.Filter> f) {
        return a -> new Value.Aggregate(a.function(), a.argument(), a.window(), replacedFilter(a.filters(), index, f), N);
    }

    private static String defaultArgument(String function) {
        return Catalogue.aggregate(function)
                .filter(e -> e.argumentKind() != Catalogue.ArgumentKind.NONE)
                .map(e -> e.arguments().isEmpty() ? "" : e.arguments().getFirst()).orElse(null);
    }

    private static Window window(String kind) {
        return switch (kind) {
            case "all_time" -> new Window.AllTime(N);
            case "calendar" -> new Window.Calendar("last_month", N);
            case "between" -> new Window.Between(LocalDate.now().withDayOfMonth(1), LocalDate.now(), N);
            case "around" -> new Window.AroundHoliday("spring-festival", 7, N);
            default -> new Window.Rolling(90, N);
        };
    }

    private static int days(String v, int fallback) {
        try {
            return Math.clamp(Integer.parseInt(v.replace("d", "").strip()), 0, 99_999);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static LocalDate date(String v, LocalDate fallback) {
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static List<String> split(String v) {
        return Arrays.stream(v.split("[,，]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    private static <T> List<T> without(List<T> list, int index) {
        List<T> copy = new ArrayList<>(list);
        if (index >= 0 && index < copy.size()) {
            copy.remove(index);
        }
        return List.copyOf(copy);
    }

    private static int[] parse(String path) {
        if (path == null || path.isBlank()) {
            return new int[0];
        }
        return Arrays.stream(path.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static Rule withPart(Rule group, Rule part) {
        return unwrapped(group, inner -> switch (inner) {
            case Rule.And a -> new Rule.And(append(a.parts(), part), N);
            case Rule.Or o -> new Rule.Or(append(o.parts(), part), N);
            default -> new Rule.And(List.of(inner, part), N);
        });
    }

    /** Applies {@code f} to the node at {@code at} (with its not, if any). */
    private static Rule edit(Rule node, int[] at, UnaryOperator<Rule> f) {
        if (at.length == 0) {
            return f.apply(node);
        }
        int[] rest = Arrays.copyOfRange(at, 1, at.length);
        return unwrapped(node, inner -> switch (inner) {
            case Rule.And a -> new Rule.And(replaced(a.parts(), at[0], p -> edit(p, rest, f)), N);
            case Rule.Or o -> new Rule.Or(replaced(o.parts(), at[0], p -> edit(p, rest, f)), N);
            default -> inner;
        });
    }

    private static Rule remove(Rule root, int[] at) {
        int[] parent = Arrays.copyOf(at, at.length - 1);
        int last = at[at.length - 1];
        return edit(root, parent, g -> unwrapped(g, inner -> switch (inner) {
            case Rule.And a when a.parts().size() > 1 -> new Rule.And(without(a.parts(), last), N);
            case Rule.Or o when o.parts().size() > 1 -> new Rule.Or(without(o.parts(), last), N);
            default -> inner; // a group keeps its last condition: remove the group instead
        }));
    }

    private static List<Rule> replaced(List<Rule> parts, int index, UnaryOperator<Rule> f) {
        List<Rule> copy = new ArrayList<>(parts);
        if (index >= 0 && index < copy.size()) {
            copy.set(index, f.apply(copy.get(index)));
        }
        return List.copyOf(copy);
    }

    /** Applies {@code f} inside a not, keeping the not. */
    private static Rule unwrapped(Rule node, UnaryOperator<Rule> f) {
        return node instanceof Rule.Not not && !(not.part() instanceof Rule.In) ? new Rule.Not(f.apply(not.part()), N)
                : f.apply(node);
    }

    private static Rule rewrap(Rule old, Rule replacement) {
        return old instanceof Rule.Not not && !(not.part() instanceof Rule.In) ? new Rule.Not(replacement, N) : replacement;
    }

    private static Rule editRow(Rule root, int[] at, UnaryOperator<Row> f) {
        return edit(root, at, n -> unwrapped(n, inner -> f.apply(new Row(inner)).node()));
    }

    private static List<Value.Filter> replacedFilter(List<Value.Filter> filters, int index, UnaryOperator<Value.Filter> f) {
        List<Value.Filter> copy = new ArrayList<>(filters);
        if (index >= 0 && index < copy.size()) {
            copy.set(index, f.apply(copy.get(index)));
        }
        return List.copyOf(copy);
    }

    /** A value row being edited: its left side, operator and right side, whichever node holds them. */
    private record Row(Rule node) {

        Value left() {
            return switch (node) {
                case Rule.Compare c -> c.left();
                case Rule.In in -> in.left();
                case Rule.Not not when not.part() instanceof Rule.In in -> in.left();
                case Rule.Within w -> w.field();
                default -> null;
            };
        }

        String operator() {
            return switch (node) {
                case Rule.Compare c -> c.operator().symbol();
                case Rule.In in -> "in";
                case Rule.Not not -> "not_in";
                case Rule.Within w -> "within";
                default -> ">";
            };
        }

        String valueText() {
            return switch (node) {
                case Rule.Compare c when c.right() instanceof Value.Literal l -> literal(l);
                case Rule.In in -> literals(in.values());
                case Rule.Not not when not.part() instanceof Rule.In in -> literals(in.values());
                default -> "";
            };
        }

        Row withLeft(Value left, Map<String, Type> types) {
            Type type = typeOf(left, types);
            if (left instanceof Value.Field f && Catalogue.field(f.name()).map(Catalogue.FieldEntry::withinOnly).orElse(false)) {
                return new Row(new Rule.Within(f, 7, N));
            }
            String op = operator().equals("within") && type != Type.DATE ? ">" : operator();
            String value = typeOf(left(), types) == type ? valueText() : defaultValue(left, type);
            return build(left, op, value, types);
        }

        Row withAggregate(UnaryOperator<Value.Aggregate> f) {
            if (!(left() instanceof Value.Aggregate a)) {
                return this;
            }
            return build(f.apply(a), operator(), valueText(), Map.of());
        }

        /** The statistic the row compares with, when it compares with one. */
        Statistic statistic() {
            return node instanceof Rule.Compare c ? Statistic.of(c.right()) : null;
        }

        Row withRightAggregate(UnaryOperator<Value.Aggregate> f) {
            Statistic s = statistic();
            return s == null ? this : compared(new Statistic(s.factor(), f.apply(s.aggregate())).value());
        }

        /**
         * Compares a statistic with another statistic (at first the same one over the last year, once) or
         * with a number again.
         */
        Row withRightKind(boolean statistic, Map<String, Type> types) {
            if (!(node instanceof Rule.Compare) || !(left() instanceof Value.Aggregate a)
                    || statistic == (statistic() != null)) {
                return this;
            }
            return statistic ? compared(new Value.Aggregate(a.function(), a.argument(), new Window.Rolling(365, N),
                    a.filters(), N)) : compared(new Value.NumberLiteral(BigDecimal.ZERO, N));
        }

        Row withFactor(String v) {
            Statistic s = statistic();
            try {
                BigDecimal factor = new BigDecimal(v.replace('×', ' ').strip());
                return s == null ? this : compared(new Statistic(factor, s.aggregate()).value());
            } catch (NumberFormatException e) {
                return this;
            }
        }

        private Row compared(Value right) {
            Rule.Compare c = (Rule.Compare) node;
            return new Row(new Rule.Compare(c.left(), c.operator(), right, N));
        }

        Row withOperator(String op, Map<String, Type> types) {
            Value left = left();
            if (op.equals("within") && !(left instanceof Value.Field && typeOf(left, types) == Type.DATE)) {
                return this;
            }
            return build(left, op, valueText(), types);
        }

        Row withValue(String value, Map<String, Type> types) {
            return build(left(), operator(), value, types);
        }

        private Row build(Value left, String op, String value, Map<String, Type> types) {
            Type type = typeOf(left, types);
            return switch (op) {
                case "within" -> new Row(new Rule.Within((Value.Field) left,
                        node instanceof Rule.Within w ? w.days() : 7, N));
                case "in", "not_in" -> {
                    List<Value.Literal> values = split(value).stream().map(v -> typed(v, type)).toList();
                    Rule.In in = new Rule.In(left, values.isEmpty() ? List.of(typed("", type)) : values, N);
                    yield new Row(op.equals("in") ? in : new Rule.Not(in, N));
                }
                default -> {
                    Rule.Operator operator = Arrays.stream(Rule.Operator.values()).filter(o -> o.symbol().equals(op))
                            .findFirst().orElse(Rule.Operator.GT);
                    // A comparison with another statistic stays one while the left is still a number.
                    Statistic other = statistic();
                    Value right = other != null && type == Type.NUMBER ? other.value() : typed(value, type);
                    yield new Row(new Rule.Compare(left, operator, right, N));
                }
            };
        }

        private static String defaultValue(Value left, Type type) {
            if (left instanceof Value.Field f) {
                List<String> values = Catalogue.field(f.name()).map(Catalogue.FieldEntry::values).orElse(List.of());
                if (!values.isEmpty()) {
                    return values.getFirst();
                }
            }
            return switch (type) {
                case NUMBER -> "0";
                case DATE -> LocalDate.now().toString();
                case BOOLEAN -> "true";
                case TEXT -> "";
            };
        }

        /** A value typed as the left side wants it; what does not read as such stays text (the checker says so). */
        private static Value.Literal typed(String v, Type type) {
            String s = v.strip();
            try {
                return switch (type) {
                    case NUMBER -> new Value.NumberLiteral(new BigDecimal(s), N);
                    case DATE -> new Value.DateLiteral(LocalDate.parse(s), N);
                    case BOOLEAN -> s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")
                            ? new Value.BooleanLiteral(Boolean.parseBoolean(s.toLowerCase(java.util.Locale.ROOT)), N)
                            : new Value.TextLiteral(s, N);
                    case TEXT -> new Value.TextLiteral(s, N);
                };
            } catch (NumberFormatException | DateTimeParseException e) {
                return new Value.TextLiteral(s, N);
            }
        }
    }

    static Type typeOf(Value v, Map<String, Type> types) {
        return switch (v) {
            case Value.Aggregate a -> Type.NUMBER;
            case Value.Field f -> Catalogue.field(f.name()).map(Catalogue.FieldEntry::type)
                    .orElse(types.getOrDefault(f.name(), Type.TEXT));
            case null -> Type.NUMBER;
            default -> Type.NUMBER;
        };
    }
}
