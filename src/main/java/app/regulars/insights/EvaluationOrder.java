package app.regulars.insights;

import app.regulars.insights.Definitions.Definition;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleChecker;
import app.regulars.insights.rule.RuleError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Segments and automatic tags may name each other; each is evaluated after the ones it names, and a
 * definition may never reach itself through them (refused when saved, with the path).
 */
final class EvaluationOrder {

    private EvaluationOrder() {}

    /** Dependencies first; definitions caught in a cycle (only possible through old data) come last. */
    static List<Definition> of(List<Definition> all) {
        Map<String, Definition> byName = new LinkedHashMap<>();
        all.forEach(d -> byName.put(d.nameKey(), d));
        Map<String, Set<String>> edges = new HashMap<>();
        all.forEach(d -> edges.put(d.nameKey(), references(d)));
        List<Definition> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (Definition d : all) {
            visit(d.nameKey(), byName, edges, done, visiting, order);
        }
        return order;
    }

    private static void visit(String key, Map<String, Definition> byName, Map<String, Set<String>> edges,
                              Set<String> done, Set<String> visiting, List<Definition> order) {
        if (done.contains(key) || !byName.containsKey(key) || !visiting.add(key)) {
            return;
        }
        for (String next : edges.getOrDefault(key, Set.of())) {
            visit(next, byName, edges, done, visiting, order);
        }
        visiting.remove(key);
        done.add(key);
        order.add(byName.get(key));
    }

    /**
     * The cycle a definition would close if saved with this rule: ["segment:a", "segment:b", "segment:a"],
     * or empty when there is none.
     */
    static Optional<List<String>> cycle(String nameKey, Rule rule, List<Definition> others) {
        Map<String, Set<String>> edges = new HashMap<>();
        others.forEach(d -> edges.put(d.nameKey(), references(d)));
        edges.put(nameKey, references(rule));
        List<String> path = new ArrayList<>(List.of(nameKey));
        return search(nameKey, nameKey, edges, path, new LinkedHashSet<>()) ? Optional.of(path) : Optional.empty();
    }

    private static boolean search(String target, String at, Map<String, Set<String>> edges, List<String> path,
                                  Set<String> seen) {
        for (String next : edges.getOrDefault(at, Set.of())) {
            path.add(next);
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && search(target, next, edges, path, seen)) {
                return true;
            }
            path.removeLast();
        }
        return false;
    }

    /** The RFM scores and segment: fields whose value for one customer moves with everyone's purchases. */
    static final Set<String> RFM_FIELDS = Set.of("r_score", "f_score", "m_score", "rfm_segment");

    /**
     * The definitions (name keys) whose members depend on RFM scores, directly or through a segment or
     * tag they name; {@code ordered} is dependencies first, as {@link #of} gives them.
     */
    static Set<String> onRfm(List<Definition> ordered) {
        Set<String> out = new HashSet<>();
        for (Definition d : ordered) {
            if (!d.hasRule()) {
                continue;
            }
            try {
                Rule rule = d.rule();
                RuleChecker.References refs = RuleChecker.references(rule);
                if (refs.fields().stream().anyMatch(RFM_FIELDS::contains)
                        || references(rule).stream().anyMatch(out::contains)) {
                    out.add(d.nameKey());
                }
            } catch (RuleError e) {
                // a rule that does not read is not evaluated at all
            }
        }
        return out;
    }

    /** The tags and segments a definition's rule names (name keys); none when it has no rule or it does not read. */
    static Set<String> references(Definition d) {
        if (!d.hasRule()) {
            return Set.of();
        }
        try {
            return references(d.rule());
        } catch (RuleError e) {
            return Set.of();
        }
    }

    static Set<String> references(Rule rule) {
        RuleChecker.References refs = RuleChecker.references(rule);
        Set<String> keys = new LinkedHashSet<>();
        refs.segments().forEach(s -> keys.add(Definitions.Kind.SEGMENT.key(s)));
        refs.tags().forEach(t -> keys.add(Definitions.Kind.TAG.key(t)));
        return keys;
    }
}
