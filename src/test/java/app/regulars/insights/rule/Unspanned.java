package app.regulars.insights.rule;

import java.util.List;

/** Rules and values with every span set to NONE: for comparing trees read from different sources. */
final class Unspanned {

    private static final Span N = Span.NONE;

    private Unspanned() {}

    static Rule of(Rule rule) {
        return switch (rule) {
            case Rule.And a -> new Rule.And(a.parts().stream().map(Unspanned::of).toList(), N);
            case Rule.Or o -> new Rule.Or(o.parts().stream().map(Unspanned::of).toList(), N);
            case Rule.Not n -> new Rule.Not(of(n.part()), N);
            case Rule.Compare c -> new Rule.Compare(of(c.left()), c.operator(), of(c.right()), N);
            case Rule.In in -> new Rule.In(of(in.left()), in.values().stream().map(v -> (Value.Literal) of(v)).toList(), N);
            case Rule.HasTag t -> new Rule.HasTag(t.tag(), N);
            case Rule.InSegment s -> new Rule.InSegment(s.segment(), N);
            case Rule.Within w -> new Rule.Within(new Value.Field(w.field().name(), N), w.days(), N);
        };
    }

    static Value of(Value value) {
        return switch (value) {
            case Value.NumberLiteral n -> new Value.NumberLiteral(n.value(), N);
            case Value.TextLiteral t -> new Value.TextLiteral(t.value(), N);
            case Value.DateLiteral d -> new Value.DateLiteral(d.value(), N);
            case Value.BooleanLiteral b -> new Value.BooleanLiteral(b.value(), N);
            case Value.Field f -> new Value.Field(f.name(), N);
            case Value.Arithmetic a -> new Value.Arithmetic(of(a.left()), a.operator(), of(a.right()), N);
            case Value.Aggregate a -> new Value.Aggregate(a.function(), a.argument(), of(a.window()),
                    a.filters().stream().map(f -> new Value.Filter(f.dimension(), f.negated(), List.copyOf(f.values()), N))
                            .toList(), N);
        };
    }

    static Window of(Window window) {
        return switch (window) {
            case Window.AllTime a -> new Window.AllTime(N);
            case Window.Rolling r -> new Window.Rolling(r.days(), N);
            case Window.Calendar c -> new Window.Calendar(c.period(), N);
            case Window.Between b -> new Window.Between(b.from(), b.to(), N);
            case Window.AroundHoliday h -> new Window.AroundHoliday(h.holiday(), h.days(), N);
        };
    }
}
