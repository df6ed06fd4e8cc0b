package app.regulars.insights.rule;

import java.util.ArrayList;
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
                    problem(tag.span(), "unknown tag \"" + tag.tag() + "\"" + suggestion(tag.tag(), vocabulary.tags(), true));
                }
            }
            case Rule.InSegment segment -> {
                if (!vocabulary.segments().contains(segment.segment())) {
                    problem(segment.span(), "unknown segment \"" + segment.segment() + "\""
                            + suggestion(segment.segment(), vocabulary.segments(), true));
                }
            }
            case Rule.Within within -> within(within);
        }
    }

    private void group(List<Rule> parts, Span span) {
        if (parts.isEmpty()) {
            problem(span, "an empty group: add a condition or remove the group");
        }
        parts.forEach(this::rule);
    }

    private void compare(Rule.Compare c) {
        Optional<Type> left = type(c.left());
        Optional<Type> right = type(c.right());
        if (c.left() instanceof Value.Literal && c.right() instanceof Value.Literal) {
            problem(c.span(), "compares two fixed values: one side must be about the customer (a field or a function)");
            return;
        }
        if (left.isEmpty() || right.isEmpty()) {
            return;
        }
        if (left.get() != right.get()) {
            problem(c.right().span().line() > 0 ? c.right().span() : c.span(),
                    "cannot compare " + left.get().word() + " with " + right.get().word() + hint(c.left(), right.get()));
            return;
        }
        boolean ordering = c.operator() != Rule.Operator.EQ && c.operator() != Rule.Operator.NE;
        if (ordering && (left.get() == Type.TEXT || left.get() == Type.BOOLEAN)) {
            problem(c.span(), left.get().word() + " can only be compared with = or != (or in (…)), not "
                    + c.operator().symbol());
            return;
        }
        closedSetValue(c.left(), c.right());
        closedSetValue(c.right(), c.left());
    }

    private String hint(Value left, Type right) {
        if (left instanceof Value.Field f && right == Type.TEXT && type(left).orElse(null) == Type.NUMBER) {
            return " (`" + f.name() + "` is a number; write it without quotes)";
        }
        if (left instanceof Value.Field && right == Type.NUMBER && type(left).orElse(null) == Type.DATE) {
            return " (write a date such as 2025-03-31)";
        }
        return "";
    }

    private void in(Rule.In in) {
        Optional<Type> left = type(in.left());
        if (left.isEmpty()) {
            return;
        }
        for (Value.Literal v : in.values()) {
            Type t = type(v).orElseThrow();
            if (t != left.get()) {
                problem(v.span().line() > 0 ? v.span() : in.span(), "cannot compare " + left.get().word() + " with "
                        + t.word());
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
            problem(text.span().line() > 0 ? text.span() : f.span(), "`" + f.name() + "` is one of "
                    + values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "))
                    + suggestion(text.value(), values, true).replace(" — did you mean", "; did you mean"));
        }
    }

    private void within(Rule.Within within) {
        String name = within.field().name();
        Optional<Type> type = fieldType(within.field(), true);
        if (type.isPresent() && type.get() != Type.DATE) {
            problem(within.field().span(), "within needs a date field such as birthday; `" + name + "` is a "
                    + type.get().word());
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
                        "calculations need numbers; this is " + side.getValue().get().word());
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
                problem(f.span(), "`" + name + "` can only be used as " + name + " within 7d (the year is not kept;"
                        + " for the month use birth_month)");
                return Optional.empty();
            }
            return Optional.of(entry.get().type());
        }
        Vocabulary.CustomField custom = vocabulary.customFields().get(name);
        if (custom != null) {
            return Optional.of(custom.type());
        }
        if (vocabulary.deletedFields().contains(name)) {
            problem(f.span(), "custom field `" + name + "` was deleted; change or remove this condition");
            return Optional.empty();
        }
        if (Catalogue.aggregate(name).isPresent()) {
            problem(f.span(), "`" + name + "` needs a window: write " + name + "(90d), " + name
                    + "(last_month) or " + name + "() for all time");
            return Optional.empty();
        }
        Set<String> known = new TreeSet<>(Catalogue.fieldNames());
        known.addAll(vocabulary.customFields().keySet());
        problem(f.span(), "unknown field `" + name + "`" + suggestion(name, known, false));
        return Optional.empty();
    }

    private Optional<Type> aggregate(Value.Aggregate a) {
        Optional<Catalogue.AggregateEntry> found = Catalogue.aggregate(a.function());
        if (found.isEmpty()) {
            if (Catalogue.field(a.function()).isPresent() || vocabulary.customFields().containsKey(a.function())) {
                problem(a.span(), "`" + a.function() + "` is a field, not a function: write it without (…)");
            } else {
                Set<String> known = Catalogue.aggregates().stream().map(Catalogue.AggregateEntry::name)
                        .collect(Collectors.toCollection(TreeSet::new));
                problem(a.span(), "unknown function `" + a.function() + "`" + suggestion(a.function(), known, false));
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
                    problem(a.span(), "`" + a.function() + "` takes no argument before its window");
                    return false;
                }
            }
            case COUPON_TEMPLATE -> {
                if (arg == null || arg.isBlank()) {
                    problem(a.span(), "`" + a.function() + "` needs a coupon template's name first, such as "
                            + a.function() + "(\"满300减50\", 90d)");
                    return false;
                }
                Set<String> known = vocabulary.couponTemplates();
                if (!known.isEmpty() && !known.contains(arg)) {
                    problem(a.span(), "unknown coupon template \"" + arg + "\"" + suggestion(arg, known, true));
                    return false;
                }
            }
            case DIMENSION, EVENT_TYPE -> {
                String what = entry.argumentKind() == Catalogue.ArgumentKind.DIMENSION
                        ? "what to count distinct values of" : "an interaction type";
                if (arg == null) {
                    problem(a.span(), "`" + a.function() + "` needs " + what + " first: " + String.join(", ", entry.arguments()));
                    return false;
                }
                if (!entry.arguments().contains(arg)) {
                    problem(a.span(), "`" + a.function() + "` needs " + what + ": one of "
                            + String.join(", ", entry.arguments()) + ", not \"" + arg + "\""
                            + suggestion(arg, entry.arguments(), true).replace(" — ", "; "));
                    return false;
                }
            }
        }
        return true;
    }

    private boolean window(Window window) {
        switch (window) {
            case Window.Rolling r when r.days() < 1 -> {
                problem(r.span(), "a window covers at least one day: 1d or more");
                return false;
            }
            case Window.Between b when b.from().isAfter(b.to()) -> {
                problem(b.span(), "between needs the first day before the last: " + b.to() + " is before " + b.from());
                return false;
            }
            case Window.AroundHoliday h when h.holiday().isBlank() -> {
                problem(h.span(), "around needs a holiday, such as around(\"spring_festival\", 7d)");
                return false;
            }
            case Window.AroundHoliday h when !vocabulary.holidays().isEmpty() && !knownHoliday(h.holiday()) -> {
                problem(h.span(), "unknown holiday \"" + h.holiday() + "\"" + suggestion(h.holiday(), vocabulary.holidays(), true));
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
            problem(a.window().span().line() > 0 ? a.window().span() : a.span(), "points_expiring looks ahead: write"
                    + " points_expiring(30d) for the next 30 days, or this_week, this_month, this_year, between(…)");
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
                boolean known = Catalogue.PURCHASE_FILTERS.contains(f.dimension());
                problem(at, known ? "`" + a.function() + "` can be filtered by " + String.join(", ", entry.filters())
                        + ", not by " + f.dimension()
                        : "unknown filter `" + f.dimension() + "`; filters are " + String.join(", ", entry.filters())
                        + suggestion(f.dimension(), entry.filters(), false).replace(" — ", "; "));
                ok = false;
                continue;
            }
            if (!seen.add(f.dimension() + (f.negated() ? "!" : ""))) {
                problem(at, "`" + f.dimension() + "` is filtered twice; use in (…) for several values");
                ok = false;
            }
            if (Catalogue.BOOLEAN_FILTER.equals(f.dimension())
                    && !f.values().stream().allMatch(v -> v.equals("true") || v.equals("false"))) {
                problem(at, "coupon is true (a coupon was used) or false");
                ok = false;
            }
            if (f.values().stream().anyMatch(String::isBlank)) {
                problem(at, "a filter value must not be blank");
                ok = false;
            }
        }
        return ok;
    }

    private static String suggestion(String typed, java.util.Collection<String> known, boolean quoted) {
        return Spelling.didYouMean(typed, known)
                .map(s -> quoted ? " — did you mean \"" + s + "\"?" : " — did you mean `" + s + "`?")
                .orElse("");
    }

    private void problem(Span span, String message) {
        problems.add(new RuleError.Problem(span, message));
    }
}
