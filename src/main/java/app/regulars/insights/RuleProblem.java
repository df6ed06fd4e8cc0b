package app.regulars.insights;

import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.RuleMessage;
import java.util.List;
import java.util.Optional;

/**
 * Why a saved tag's or segment's rule cannot be evaluated now; its members stay as they were until the
 * rule is fixed.
 *
 * <p>WHY found at each read as well as recorded: checking a rule against today's vocabulary is cheap and
 * was already done on every read, so what it finds (a custom field, tag or segment deleted since the rule
 * was saved) is current, and is said with every problem and where it is. What only the evaluation sees
 * (the engine missing a name the check let through: a custom field it has not read yet) is known only
 * from what the last evaluation recorded, which is a message too.
 *
 * @param found           what the check of the stored rule against today's vocabulary finds, where and what
 * @param recorded        what the last evaluation recorded; said only when the check finds nothing. Null
 *                        when nothing was, or when it was recorded before messages were stored
 * @param recordedEnglish the same in the API's English, as recorded (all a problem recorded before
 *                        messages were stored has)
 */
public record RuleProblem(List<RuleError.Problem> found, RuleMessage recorded, String recordedEnglish) {

    public RuleProblem {
        found = List.copyOf(found);
    }

    /**
     * All the check found, each where it is, as one message ("…; …"); else what the last evaluation
     * recorded; empty when only its English is known.
     */
    public Optional<RuleMessage> message() {
        return found.stream().map(RuleError.Problem::located)
                .reduce((said, next) -> RuleMessage.of(RuleMessage.Code.AND_ALSO, said, next))
                .or(() -> Optional.ofNullable(recorded));
    }

    /** As the API says it: what the check found, else the English the last evaluation recorded. */
    public String english() {
        return found.isEmpty() ? recordedEnglish : message().orElseThrow().english();
    }
}
