package app.regulars.insights;

import java.time.Instant;

/**
 * A saved segment: the customers its rule matches, kept current.
 *
 * @param ruleText the rule's canonical text; its stored form is the versioned JSON ({@code ruleJson})
 * @param builtin  the key of a built-in segment ("sleeping", "rfm_at_risk", …), null for the chain's own
 * @param problem  why the rule cannot be evaluated now (it names a deleted field, …), null when it can;
 *                 members are then left as they were until the rule is fixed
 * @param members  current number of members
 */
public record Segment(long id, String name, String description, String ruleText, String ruleJson, String builtin,
                      RuleProblem problem, int members, Instant updatedAt) {

    /**
     * The message key of this segment's translated display name ({@code builtin.sleeping}) for a built-in
     * that keeps its built-in name, else null: show {@link #name()}. Rules always name it by {@code name}.
     */
    public String labelKey() {
        return BuiltInSegments.labelKey(builtin, name);
    }
}
