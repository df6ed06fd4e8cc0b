package app.regulars.insights;

import java.time.Instant;

/**
 * A tag on customers: manual (staff add and remove it; {@code ruleText} is null) or automatic (its rule
 * decides, like a segment's).
 *
 * @param problem why an automatic tag's rule cannot be evaluated now, null when it can (and for a manual tag)
 */
public record Tag(long id, String name, String description, String ruleText, String ruleJson, RuleProblem problem,
                  int members, Instant updatedAt) {

    public boolean automatic() {
        return ruleText != null;
    }
}
