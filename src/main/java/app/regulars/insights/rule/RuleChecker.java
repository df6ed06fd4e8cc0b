package app.regulars.insights.rule;

import app.regulars.insights.rule.RuleMessage.Code;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Type-checks a rule against the catalogue and a {@link Vocabulary}: every name known, every function
 * given what it takes, both sides of a comparison of one type. Collects every problem rather than
 * stopping at the first, each with the position of the node it is about.
 *
 * <p>A rule read from JSON has no positions; it is checked in its canonical text (printed and parsed
 * again), so problems point at the line and column the console's text mode shows.
 */
public final class RuleChecker {

    /** A rule that passed, with its canonical text. */
    public record Checked(Rule rule, String text) {}

    /** What a rule refers to by name. */
    public record References(Set<String> segments, Set<String> tags, Set<String> fields) {}

    private final Vocabulary vocabulary;
    private final List<RuleError.Problem> problems = new ArrayList<>();

    private RuleChecker(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** @throws RuleTypeError listing every problem, in the order of the text */
    public static Checked check(Rule rule, Vocabulary vocabulary) {
        String text = RuleText.print(rule);
        Rule positioned = rule.span().line() > 0 ? rule : RuleText.parse(text);
        RuleChecker checker = new RuleChecker(vocabulary);
        checker.rule(positioned);
        if (!checker.problems.isEmpty()) {
            throw new RuleTypeError(checker.problems);
        }
        return new Checked(rule, text);
    }

    public static References references(Rule rule) {
        References refs = new References(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        collect(rule, refs);
        return new References(Set.copyOf(refs.segments()), Set.copyOf(refs.tags()), Set.copyOf(refs.fields()));
    }

    private static void collect(Rule rule, References refs) {
        switch (rule) {
            case Rule.And and -> and.parts().forEach(p -> collect(p, refs));
            case Rule.Or or -> or.parts().forEach(p -> collect(p, refs));
            case Rule.Not not -> collect(not.part(), refs);
            case Rule.Compare c -> {
                collect(c.left(), refs);
                collect(c.right(), refs);
            }
            case Rule.In in -> collect(in.left(), refs);
            case Rule.HasTag tag -> refs.tags().add(tag.tag());
            case Rule.InSegment segment -> refs.segments().add(segment.segment());
            case Rule.Within within -> refs.fields().add(within.field().name());
        }
    }

    private static void collect(Value value, References refs) {
        switch (value) {
            case Value.Field f -> refs.fields().add(f.name());
            case Value.Arithmetic a -> {
                collect(a.left(), refs);
                collect(a.right(), refs);
            }
            default -> { }
        }
    }

    // ---- conditions

    private void rule(Rule rule) {
        switch (rule) {
            case Rule.And and -> group(and.parts(), and.span());
            case Rule.Or or -> group(or.parts(), or.span());
            case Rule.Not not -> rule(not.part());
            case Rule.Compare c -> compare(c);
            case Rule.In in -> in(in);
            case Rule.HasTag tag -> {
                if (!vocabulary.tags().contains(tag.tag())) {
                    unknown(tag.span(), Code.UNKNOWN_TAG, Code.UNKNOWN_TAG_MISSPELT, tag.tag(), vocabulary.tags());
                }
            }
            case Rule.InSegment segment -> {
                if (!vocabulary.segments().contains(segment.segment())) {
                    unknown(segment.span(), Code.UNKNOWN_SEGMENT, Code.UNKNOWN_SEGMENT_MISSPELT, segment.segment(),
                            vocabulary.segments());
                }
            }
            case Rule.Within within -> within(within);
        }
    }

    private void group(List<Rule> parts, Span span) {
        if (parts.isEmpty()) {
            problem(span, Code.EMPTY_GROUP);
        }
        parts.forEach(this::rule);
    }

    private void compare(Rule.Compare c) {
        Optional<Type> left = type(c.left());
        Optional<Type> right = type(c.right());
        if (c.left() instanceof Value.Literal && c.right() instanceof Value.Literal) {
            problem(c.span(), Code.TWO_FIXED_VALUES);
            return;
        }
        if (left.isEmpty() || right.isEmpty()) {
            return;
        }
        if (left.get() != right.get()) {
            problem(c.right().span().line() > 0 ? c.right().span() : c.span(),
                    cannotCompare(c.left(), left.get(), right.get()));
            return;
        }
        boolean ordering = c.operator() != Rule.Operator.EQ && c.operator() != Rule.Operator.NE;
        if (ordering && (left.get() == Type.TEXT || left.get() == Type.BOOLEAN)) {
            problem(c.span(), Code.ONLY_EQUALITY, word(left.get()), c.operator().symbol());
            return;
        }
        closedSetValue(c.left(), c.right());
        closedSetValue(c.right(), c.left());
    }

    /** "cannot compare number with text", with a hint when a field is compared with a value written wrongly. */
    private static RuleMessage cannotCompare(Value left, Type leftType, Type rightType) {
        if (left instanceof Value.Field f && leftType == Type.NUMBER && rightType == Type.TEXT) {
            return RuleMessage.of(Code.CANNOT_COMPARE_QUOTED_NUMBER, f.name());
        }
        if (left instanceof Value.Field && leftType == Type.DATE && rightType == Type.NUMBER) {
            return RuleMessage.of(Code.CANNOT_COMPARE_DATE_WITH_NUMBER);
        }
        return RuleMessage.of(Code.CANNOT_COMPARE, word(leftType), word(rightType));
    }

    private static RuleMessage word(Type type) {
        return RuleMessage.of(switch (type) {
            case NUMBER -> Code.NUMBER;
            case TEXT -> Code.TEXT;
            case DATE -> Code.DATE;
            case BOOLEAN -> Code.BOOLEAN;
        });
    }

    private void in(Rule.In in) {
        Optional<Type> left = type(in.left());
        if (left.isEmpty()) {
            return;
        }
        for (Value.Literal v : in.values()) {
            Type t = type(v).orElseThrow();
            if (t != left.get()) {
                problem(v.span().line() > 0 ? v.span() : in.span(), Code.CANNOT_COMPARE, word(left.get()), word(t));
            } else {
                closedSetValue(in.left(), v);
            }
        }
    }

    /** {@code rfm_segment = "At rsk"}: a text field with a closed set of values names one of them. */
    private void closedSetValue(Value field, Value literal) {
        if (!(field instanceof Value.Field f) || !(literal instanceof Value.TextLiteral text)) {
            return;
        }
        List<String> values = f.name().equals("tier") ? vocabulary.tiers() : Catalogue.field(f.name()).map(Catalogue.FieldEntry::values)
                .or(() -> Optional.ofNullable(vocabulary.customFields().get(f.name())).map(Vocabulary.CustomField::choices))
                .orElse(List.of());
        if (!values.isEmpty() && !values.contains(text.value())) {
            Span at = text.span().line() > 0 ? text.span() : f.span();
            Optional<String> meant = Spelling.didYouMean(text.value(), values);
            problem(at, meant.map(m -> RuleMessage.of(Code.ONE_OF_MISSPELT, f.name(), RuleMessage.quoted(values), m))
                    .orElseGet(() -> RuleMessage.of(Code.ONE_OF, f.name(), RuleMessage.quoted(values))));
        }
    }

    private void within(Rule.Within within) {
        String name = within.field().name();
        Optional<Type> type = fieldType(within.field(), true);
        if (type.isPresent() && type.get() != Type.DATE) {
            problem(within.field().span(), Code.WITHIN_NEEDS_DATE, name, word(type.get()));
        }
    }

    // ---- values

    private Optional<Type> type(Value value) {
        return switch (value) {
            case Value.NumberLiteral n -> Optional.of(Type.NUMBER);
            case Value.TextLiteral t -> Optional.of(Type.TEXT);
            case Value.DateLiteral d -> Optional.of(Type.DATE);
            case Value.BooleanLiteral b -> Optional.of(Type.BOOLEAN);
            case Value.Field f -> fieldType(f, false);
            case Value.Aggregate a -> aggregate(a);
            case Value.Arithmetic a -> arithmetic(a);
        };
    }

    private Optional<Type> arithmetic(Value.Arithmetic a) {
        Optional<Type> left = type(a.left());
        Optional<Type> right = type(a.right());
        boolean ok = true;
        for (var side : List.of(java.util.Map.entry(a.left(), left), java.util.Map.entry(a.right(), right))) {
            if (side.getValue().isPresent() && side.getValue().get() != Type.NUMBER) {
                problem(side.getKey().span().line() > 0 ? side.getKey().span() : a.span(),
                        Code.CALCULATION_NEEDS_NUMBERS, word(side.getValue().get()));
                ok = false;
            }
        }
        return left.isPresent() && right.isPresent() && ok ? Optional.of(Type.NUMBER) : Optional.empty();
    }

    private Optional<Type> fieldType(Value.Field f, boolean inWithin) {
        String name = f.name();
        Optional<Catalogue.FieldEntry> entry = Catalogue.field(name);
        if (entry.isPresent()) {
            if (entry.get().withinOnly() && !inWithin) {
                problem(f.span(), Code.WITHIN_ONLY, name);
                return Optional.empty();
            }
            return Optional.of(entry.get().type());
        }
        Vocabulary.CustomField custom = vocabulary.customFields().get(name);
        if (custom != null) {
            return Optional.of(custom.type());
        }
        if (vocabulary.deletedFields().contains(name)) {
            problem(f.span(), Code.DELETED_FIELD, name);
            return Optional.empty();
        }
        if (Catalogue.aggregate(name).isPresent()) {
            problem(f.span(), Code.NEEDS_WINDOW, name);
            return Optional.empty();
        }
        Set<String> known = new TreeSet<>(Catalogue.fieldNames());
        known.addAll(vocabulary.customFields().keySet());
        unknown(f.span(), Code.UNKNOWN_FIELD, Code.UNKNOWN_FIELD_MISSPELT, name, known);
        return Optional.empty();
    }

    private Optional<Type> aggregate(Value.Aggregate a) {
        Optional<Catalogue.AggregateEntry> found = Catalogue.aggregate(a.function());
        if (found.isEmpty()) {
            if (Catalogue.field(a.function()).isPresent() || vocabulary.customFields().containsKey(a.function())) {
                problem(a.span(), Code.FIELD_NOT_FUNCTION, a.function());
            } else {
                Set<String> known = Catalogue.aggregates().stream().map(Catalogue.AggregateEntry::name)
                        .collect(Collectors.toCollection(TreeSet::new));
                unknown(a.span(), Code.UNKNOWN_FUNCTION, Code.UNKNOWN_FUNCTION_MISSPELT, a.function(), known);
            }
            return Optional.empty();
        }
        Catalogue.AggregateEntry entry = found.get();
        boolean ok = argument(a, entry) & window(a.window()) & looksAhead(a) & filters(a, entry);
        return ok ? Optional.of(entry.result()) : Optional.empty();
    }

    private boolean argument(Value.Aggregate a, Catalogue.AggregateEntry entry) {
        String arg = a.argument();
        switch (entry.argumentKind()) {
            case NONE -> {
                if (arg != null) {
                    problem(a.span(), Code.NO_ARGUMENT, a.function());
                    return false;
                }
            }
            case COUPON_TEMPLATE -> {
                if (arg == null || arg.isBlank()) {
                    problem(a.span(), Code.NEEDS_COUPON_TEMPLATE, a.function());
                    return false;
                }
                Set<String> known = vocabulary.couponTemplates();
                if (known != null && !known.contains(arg)) {
                    unknown(a.span(), Code.UNKNOWN_COUPON_TEMPLATE, Code.UNKNOWN_COUPON_TEMPLATE_MISSPELT, arg, known);
                    return false;
                }
            }
            case DIMENSION, EVENT_TYPE -> {
                boolean dimension = entry.argumentKind() == Catalogue.ArgumentKind.DIMENSION;
                RuleMessage.Names allowed = RuleMessage.names(entry.arguments());
                if (arg == null) {
                    problem(a.span(), dimension ? Code.NEEDS_DIMENSION : Code.NEEDS_EVENT_TYPE, a.function(), allowed);
                    return false;
                }
                if (!entry.arguments().contains(arg)) {
                    Optional<String> meant = Spelling.didYouMean(arg, entry.arguments());
                    Code code = dimension ? (meant.isPresent() ? Code.WRONG_DIMENSION_MISSPELT : Code.WRONG_DIMENSION)
                            : (meant.isPresent() ? Code.WRONG_EVENT_TYPE_MISSPELT : Code.WRONG_EVENT_TYPE);
                    problem(a.span(), meant.map(m -> RuleMessage.of(code, a.function(), allowed, arg, m))
                            .orElseGet(() -> RuleMessage.of(code, a.function(), allowed, arg)));
                    return false;
                }
            }
        }
        return true;
    }

    private boolean window(Window window) {
        switch (window) {
            case Window.Rolling r when r.days() < 1 -> {
                problem(r.span(), Code.EMPTY_WINDOW);
                return false;
            }
            case Window.Between b when b.from().isAfter(b.to()) -> {
                problem(b.span(), Code.BETWEEN_REVERSED, b.to().toString(), b.from().toString());
                return false;
            }
            case Window.AroundHoliday h when h.holiday().isBlank() -> {
                problem(h.span(), Code.AROUND_NEEDS_HOLIDAY);
                return false;
            }
            case Window.AroundHoliday h when !vocabulary.holidays().isEmpty() && !knownHoliday(h.holiday()) -> {
                unknown(h.span(), Code.UNKNOWN_HOLIDAY, Code.UNKNOWN_HOLIDAY_MISSPELT, h.holiday(),
                        vocabulary.holidays());
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /** {@code points_expiring} counts what is still to come: a past period would always be empty. */
    private boolean looksAhead(Value.Aggregate a) {
        if (!a.function().equals("points_expiring")) {
            return true;
        }
        boolean ahead = switch (a.window()) {
            case Window.Calendar c -> Catalogue.LOOK_AHEAD_PERIODS.contains(c.period());
            case Window.AroundHoliday h -> false;
            default -> true;
        };
        if (!ahead) {
            problem(a.window().span().line() > 0 ? a.window().span() : a.span(), Code.LOOKS_AHEAD);
        }
        return ahead;
    }

    private boolean knownHoliday(String name) {
        return vocabulary.holidays().contains(name) || vocabulary.holidays().contains(name.replace('_', '-'));
    }

    private boolean filters(Value.Aggregate a, Catalogue.AggregateEntry entry) {
        boolean ok = true;
        Set<String> seen = new LinkedHashSet<>();
        for (Value.Filter f : a.filters()) {
            Span at = f.span().line() > 0 ? f.span() : a.span();
            if (!entry.filters().contains(f.dimension())) {
                RuleMessage.Names allowed = RuleMessage.names(entry.filters());
                if (Catalogue.PURCHASE_FILTERS.contains(f.dimension())) {
                    problem(at, Code.FILTER_NOT_ALLOWED, a.function(), allowed, f.dimension());
                } else {
                    problem(at, Spelling.didYouMean(f.dimension(), entry.filters())
                            .map(m -> RuleMessage.of(Code.UNKNOWN_FILTER_MISSPELT, f.dimension(), allowed, m))
                            .orElseGet(() -> RuleMessage.of(Code.UNKNOWN_FILTER, f.dimension(), allowed)));
                }
                ok = false;
                continue;
            }
            if (!seen.add(f.dimension() + (f.negated() ? "!" : ""))) {
                problem(at, Code.FILTERED_TWICE, f.dimension());
                ok = false;
            }
            if (Catalogue.BOOLEAN_FILTER.equals(f.dimension())
                    && !f.values().stream().allMatch(v -> v.equals("true") || v.equals("false"))) {
                problem(at, Code.COUPON_TRUE_OR_FALSE);
                ok = false;
            }
            if (f.values().stream().anyMatch(String::isBlank)) {
                problem(at, Code.BLANK_FILTER_VALUE);
                ok = false;
            }
        }
        return ok;
    }

    /** An unknown name, with the known one it is closest to when there is one within a few typos. */
    private void unknown(Span span, Code code, Code misspelt, String typed, Collection<String> known) {
        problem(span, Spelling.didYouMean(typed, known).map(m -> RuleMessage.of(misspelt, typed, m))
                .orElseGet(() -> RuleMessage.of(code, typed)));
    }

    private void problem(Span span, Code code, Object... args) {
        problem(span, RuleMessage.of(code, args));
    }

    private void problem(Span span, RuleMessage message) {
        problems.add(new RuleError.Problem(span, message));
    }
}
