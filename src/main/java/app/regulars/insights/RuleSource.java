package app.regulars.insights;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A rule as a caller gives it: the text form, or the versioned JSON document
 * ({@code {"version": 1, "rule": {…}}}). Exactly one of the two.
 */
public record RuleSource(String text, JsonNode rule) {

    public static RuleSource ofText(String text) {
        return new RuleSource(text, null);
    }

    public static RuleSource ofJson(JsonNode rule) {
        return new RuleSource(null, rule);
    }
}
