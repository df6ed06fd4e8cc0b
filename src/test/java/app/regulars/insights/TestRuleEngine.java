package app.regulars.insights;

import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.Value;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * TEST ONLY, and temporary: stands in for the engine of the insights-engine branch until it is merged.
 * Ordinals are customer ids; it knows and/or/not, tags, segments, {@code orders()}, {@code spent()}
 * (all time, no filters) and {@code frequency}/{@code monetary} from customer_stats; anything else
 * matches no one. Calls its listeners when customer_stats changed, as the real engine does after each batch.
 */
@Component
class TestRuleEngine implements RuleEngine, SmartLifecycle {

    private record Stats(int orders, BigDecimal spent) {}

    private final JdbcTemplate jdbc;
    private final List<Consumer<RoaringBitmap>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread ticker;

    TestRuleEngine(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Matches evaluate(Rule rule, Memberships memberships) {
        List<Long> customers = jdbc.queryForList("select id from customer where merged_into is null", Long.class);
        Map<Long, Stats> stats = jdbc.query("select customer_id, orders, spend_cents - refund_cents from customer_stats",
                        (rs, i) -> Map.entry(rs.getLong(1), new Stats(rs.getInt(2), BigDecimal.valueOf(rs.getLong(3), 2))))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
        RoaringBitmap all = new RoaringBitmap();
        customers.forEach(id -> all.add(id.intValue()));
        RoaringBitmap matched = new RoaringBitmap();
        for (long id : customers) {
            if (holds(rule, id, stats.getOrDefault(id, new Stats(0, BigDecimal.ZERO)), memberships)) {
                matched.add((int) id);
            }
        }
        return new Matches(matched, all.getCardinality());
    }

    private boolean holds(Rule rule, long id, Stats s, Memberships m) {
        Predicate<Rule> sub = r -> holds(r, id, s, m);
        return switch (rule) {
            case Rule.And a -> a.parts().stream().allMatch(sub);
            case Rule.Or o -> o.parts().stream().anyMatch(sub);
            case Rule.Not n -> !sub.test(n.part());
            case Rule.HasTag t -> member(m.tag(t.tag()), id);
            case Rule.InSegment g -> member(m.segment(g.segment()), id);
            case Rule.Compare c -> {
                BigDecimal left = number(c.left(), s);
                BigDecimal right = number(c.right(), s);
                if (left == null || right == null) {
                    yield false;
                }
                int cmp = left.compareTo(right);
                yield switch (c.operator()) {
                    case EQ -> cmp == 0;
                    case NE -> cmp != 0;
                    case LT -> cmp < 0;
                    case LE -> cmp <= 0;
                    case GT -> cmp > 0;
                    case GE -> cmp >= 0;
                };
            }
            default -> false;
        };
    }

    private static boolean member(RoaringBitmap bits, long id) {
        if (bits == null) {
            throw new RuleReferenceException("no such tag or segment", app.regulars.insights.rule.Span.NONE);
        }
        return bits.contains((int) id);
    }

    private static BigDecimal number(Value v, Stats s) {
        return switch (v) {
            case Value.NumberLiteral n -> n.value();
            case Value.Aggregate a when a.function().equals("orders") -> BigDecimal.valueOf(s.orders());
            case Value.Aggregate a when a.function().equals("spent") -> s.spent();
            case Value.Field f when f.name().equals("frequency") -> BigDecimal.valueOf(s.orders());
            case Value.Field f when f.name().equals("monetary") -> s.spent();
            default -> null;
        };
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public int ordinalOf(long customerId) {
        return (int) customerId;
    }

    @Override
    public long customerIdOf(int ordinal) {
        return ordinal;
    }

    @Override
    public void onChange(Consumer<RoaringBitmap> touchedOrdinals) {
        listeners.add(touchedOrdinals);
    }

    @Override
    public void start() {
        running = true;
        ticker = Thread.ofVirtual().start(() -> {
            String seen = "";
            while (running) {
                try {
                    Thread.sleep(100);
                    // Like the real engine: a call after purchases were applied, not on every tick.
                    String now = jdbc.queryForObject("select count(*) || '/' || coalesce(max(updated_at)::text, '')"
                            + " from customer_stats", String.class);
                    if (!now.equals(seen)) {
                        seen = now;
                        listeners.forEach(l -> l.accept(new RoaringBitmap()));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the database is going away with the test JVM
                }
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        if (ticker != null) {
            ticker.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
