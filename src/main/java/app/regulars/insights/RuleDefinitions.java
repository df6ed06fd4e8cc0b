package app.regulars.insights;

import app.regulars.insights.Definitions.Definition;
import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleChecker;
import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.RuleJson;
import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.RuleText;
import app.regulars.insights.rule.RuleTypeError;
import app.regulars.insights.rule.Span;
import app.regulars.insights.rule.Vocabulary;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Saving tags and segments with rules: one place for reading a rule from text or JSON, checking it
 * against what exists now, refusing cycles and keeping names that other rules use.
 */
@Component
class RuleDefinitions {

    /** A checked rule in all its forms. */
    record Compiled(Rule rule, String text, JsonNode json) {}

    private static final int MAX_NAME = 60;

    private final Definitions definitions;
    private final RuleVocabulary vocabulary;
    private final SegmentMembership membership;

    RuleDefinitions(Definitions definitions, RuleVocabulary vocabulary, SegmentMembership membership) {
        this.definitions = definitions;
        this.vocabulary = vocabulary;
        this.membership = membership;
    }

    /** Reads and checks a rule; throws {@link RuleError} with positions (400 at the API). */
    Compiled compile(RuleSource source) {
        if (source == null || (blank(source.text()) && source.rule() == null)) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("text", "ruleNeeded", "a rule is needed: give its text or its JSON (rule)"));
        }
        if (!blank(source.text()) && source.rule() != null) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("rule", "textAndJson", "give the rule's text or its JSON, not both"));
        }
        Rule rule = source.rule() != null ? RuleJson.read(source.rule()) : RuleText.parse(source.text());
        RuleChecker.Checked checked = RuleChecker.check(rule, vocabulary.current());
        return new Compiled(checked.rule(), checked.text(), RuleJson.write(checked.rule()));
    }

    /**
     * Why a stored rule cannot be evaluated now: checked against today's vocabulary (a custom field
     * deleted since it was saved), else what the last evaluation reported; null when fine.
     */
    RuleProblem problemNow(Definition d, Vocabulary words) {
        if (!d.hasRule()) {
            return null;
        }
        try {
            RuleChecker.check(d.rule(), words);
            return d.problem() == null ? null : new RuleProblem(List.of(), d.problemMessage(), d.problem());
        } catch (RuleError e) {
            return new RuleProblem(e.problems(), d.problemMessage(), d.problem());
        }
    }

    Vocabulary vocabulary() {
        return vocabulary.current();
    }

    Definition create(Kind kind, String name, String description, RuleSource source, String builtin) {
        String clean = name(name);
        Compiled compiled = source == null ? null : compile(source);
        if (compiled != null) {
            refuseCycle(kind, clean, compiled.rule(), definitionsBut(null));
        }
        try {
            long id = definitions.insert(kind, clean, description(description),
                    compiled == null ? null : RuleJson.toString(compiled.json()), compiled == null ? null : compiled.text(),
                    builtin);
            membership.definitionsChanged();
            return definitions.find(kind, id).orElseThrow();
        } catch (DuplicateKeyException e) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("name", kind.table + "Exists", clean,
                    "a " + kind.table + " named \"" + clean + "\" already exists"));
        }
    }

    Definition update(Kind kind, long id, String name, String description, RuleSource source) {
        Definition old = definitions.find(kind, id).orElseThrow(() -> ApiProblem.notFound(kind.table + " " + id));
        String clean = name(name);
        if (kind == Kind.TAG && !old.hasRule() && source != null) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("rule", "manualTagRule", "a manual tag has no rule; create an automatic tag instead"));
        }
        if (old.hasRule() && source == null) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("text", "ruleNeeded", "an automatic " + kind.table + " needs its rule"));
        }
        if (!clean.equals(old.name())) {
            refuseIfUsed(old, "renamed");
        }
        Compiled compiled = source == null ? null : compile(source);
        if (compiled != null) {
            refuseCycle(kind, clean, compiled.rule(), definitionsBut(old));
        }
        try {
            definitions.update(kind, id, clean, description(description),
                    compiled == null ? null : RuleJson.toString(compiled.json()), compiled == null ? null : compiled.text());
        } catch (DuplicateKeyException e) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("name", kind.table + "Exists", clean,
                    "a " + kind.table + " named \"" + clean + "\" already exists"));
        }
        membership.definitionsChanged();
        return definitions.find(kind, id).orElseThrow();
    }

    void delete(Kind kind, long id) {
        Definition old = definitions.find(kind, id).orElseThrow(() -> ApiProblem.notFound(kind.table + " " + id));
        refuseIfUsed(old, "deleted");
        definitions.delete(kind, id);
        membership.definitionsChanged();
    }

    /** Other rules name tags and segments by name: renaming or deleting one would break them. */
    private void refuseIfUsed(Definition d, String what) {
        List<Definition> users = definitionsBut(d).stream()
                .filter(o -> o.hasRule() && safeRule(o) != null
                        && EvaluationOrder.references(safeRule(o)).contains(d.nameKey()))
                .toList();
        if (!users.isEmpty()) {
            String english = "cannot be " + what + ": the rules of " + users.stream()
                    .map(o -> o.kind().table + " \"" + o.name() + "\"").collect(Collectors.joining(", "))
                    + " use " + d.kind().table + "(\"" + d.name() + "\")";
            String names = users.stream().map(Definition::name).collect(Collectors.joining(", "));
            throw ApiProblem.of(HttpStatus.CONFLICT,
                    Refusals.CODES.of("name", "renamed".equals(what) ? "usedRenamed" : "usedDeleted", names, english));
        }
    }

    private static Rule safeRule(Definition d) {
        try {
            return d.rule();
        } catch (RuleError e) {
            return null;
        }
    }

    private List<Definition> definitionsBut(Definition except) {
        List<Definition> all = new java.util.ArrayList<>(definitions.all(Kind.TAG));
        all.addAll(definitions.all(Kind.SEGMENT));
        return all.stream().filter(d -> except == null || !(d.kind() == except.kind() && d.id() == except.id())).toList();
    }

    private static void refuseCycle(Kind kind, String name, Rule rule, List<Definition> others) {
        Optional<List<String>> cycle = EvaluationOrder.cycle(kind.key(name), rule, others);
        if (cycle.isEmpty()) {
            return;
        }
        List<String> path = cycle.get();
        String first = path.get(1);
        Span at = spanOf(rule, first);
        String shown = path.stream().map(k -> k.replaceFirst(":", "(\"") + "\")").collect(Collectors.joining(" → "));
        RuleMessage.Code code = kind == Kind.SEGMENT ? RuleMessage.Code.SEGMENT_INCLUDES_ITSELF
                : RuleMessage.Code.TAG_INCLUDES_ITSELF;
        throw new RuleTypeError(List.of(new RuleError.Problem(at, RuleMessage.of(code, shown))));
    }

    /** Where the rule names the first step of a cycle, in its text (canonical text for JSON rules). */
    private static Span spanOf(Rule rule, String key) {
        Rule positioned = rule.span().line() > 0 ? rule : RuleText.parse(RuleText.print(rule));
        return find(positioned, key).orElse(Span.NONE);
    }

    private static Optional<Span> find(Rule rule, String key) {
        return switch (rule) {
            case Rule.And a -> a.parts().stream().map(p -> find(p, key)).flatMap(Optional::stream).findFirst();
            case Rule.Or o -> o.parts().stream().map(p -> find(p, key)).flatMap(Optional::stream).findFirst();
            case Rule.Not n -> find(n.part(), key);
            case Rule.InSegment s when Kind.SEGMENT.key(s.segment()).equals(key) -> Optional.of(s.span());
            case Rule.HasTag t when Kind.TAG.key(t.tag()).equals(key) -> Optional.of(t.span());
            default -> Optional.empty();
        };
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("name", "nameBlank", "must not be blank"));
        }
        String clean = name.strip();
        if (clean.length() > MAX_NAME) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("name", "nameTooLong", MAX_NAME, "at most " + MAX_NAME + " characters"));
        }
        if (clean.contains("\"") || clean.contains("\\")) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("name", "nameQuotes", "must not contain \" or \\ (rules name it in quotes)"));
        }
        return clean;
    }

    private static String description(String description) {
        return description == null || description.isBlank() ? null : description.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
