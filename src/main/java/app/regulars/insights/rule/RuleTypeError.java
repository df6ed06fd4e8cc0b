package app.regulars.insights.rule;

import java.util.List;

/** The rule parses but does not make sense: unknown names, mismatched types, a missing window, … */
public class RuleTypeError extends RuleError {

    public RuleTypeError(List<Problem> problems) {
        super(problems);
    }
}
