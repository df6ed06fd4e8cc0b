package app.regulars.insights;

import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.RuleMessage;
import java.util.List;
import java.util.Optional;

/**
 * Why a saved tag's or segment's rule cannot be evaluated now; its members stay as they were until the
 * rule is fixed.
 *
 * <p>WHY found at each read rather than stored with codes: checking a rule against today's vocabulary is
 * cheap and was already done on every read, so what it finds (a custom field, tag or segment deleted
 * since the rule was saved) is current and coded, and can be said in the reader's language without a
 * second, possibly stale, copy of it in the database. Only what the evaluation alone sees (the engine
 * missing a name the check let through) is known from the text the last evaluation recorded, which is
 * the API's English.
 *
 * @param found    what the check of the stored rule against today's vocabulary finds, where and what
 * @param recorded what the last evaluation recorded, in English; said only when the check finds nothing
 */
public record RuleProblem(List<RuleError.Problem> found, String recorded) {

    public RuleProblem {
        found = List.copyOf(found);
    }

    /** All the check found, each where it is, as one message ("…; …"); empty when only the record is known. */
    public Optional<RuleMessage> message() {
        return found.stream().map(RuleError.Problem::located)
                .reduce((said, next) -> RuleMessage.of(RuleMessage.Code.AND_ALSO, said, next));
    }

    /** As the API says it. */
    public String english() {
        return message().map(RuleMessage::english).orElse(recorded);
    }
}
