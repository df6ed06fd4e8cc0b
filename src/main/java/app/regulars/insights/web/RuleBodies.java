package app.regulars.insights.web;

import app.regulars.insights.Preview;
import app.regulars.insights.RuleProblem;
import app.regulars.insights.RuleSource;
import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import app.regulars.insights.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.function.LongFunction;

/** Request and response shapes of the tags and segments API. */
final class RuleBodies {

    private RuleBodies() {}

    /** A rule by its text or its versioned JSON document. */
    record RuleBody(String text, JsonNode rule) {
        RuleSource source() {
            return new RuleSource(text, rule == null || rule.isNull() ? null : rule);
        }
    }

    record DefinitionBody(String name, String description, String text, JsonNode rule) {
        /** Null when neither is given (a manual tag). */
        RuleSource sourceOrNull() {
            boolean none = (text == null || text.isBlank()) && (rule == null || rule.isNull());
            return none ? null : new RuleSource(text, rule == null || rule.isNull() ? null : rule);
        }
    }

    record SegmentView(long id, String name, String description, String text, JsonNode rule, String builtin,
                       String problem, int members, Instant updatedAt) {}

    record TagView(long id, String name, String description, boolean automatic, String text, JsonNode rule,
                   String problem, int members, Instant updatedAt) {}

    record MembersView(List<Preview.SampleCustomer> members, long total, int page, int size, boolean hasNext) {}

    static SegmentView view(Segment s, ObjectMapper json) {
        return new SegmentView(s.id(), s.name(), s.description(), s.ruleText(), tree(s.ruleJson(), json), s.builtin(),
                english(s.problem()), s.members(), s.updatedAt());
    }

    static TagView view(Tag t, ObjectMapper json) {
        return new TagView(t.id(), t.name(), t.description(), t.automatic(), t.ruleText(), tree(t.ruleJson(), json),
                english(t.problem()), t.members(), t.updatedAt());
    }

    private static String english(RuleProblem problem) {
        return problem == null ? null : problem.english();
    }

    static MembersView members(Segments.MemberPage page, LongFunction<Preview.SampleCustomer> sample) {
        return new MembersView(page.customerIds().stream().map(sample::apply).filter(java.util.Objects::nonNull).toList(),
                page.total(), page.page(), page.size(), page.hasNext());
    }

    private static JsonNode tree(String json, ObjectMapper mapper) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored rule is not JSON", e);
        }
    }

    static String csv(List<Long> ids) {
        StringBuilder out = new StringBuilder("customer_id\n");
        ids.forEach(id -> out.append(id).append('\n'));
        return out.toString();
    }
}
