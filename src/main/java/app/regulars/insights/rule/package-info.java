/**
 * The rule language: the AST ({@link app.regulars.insights.rule.Rule}), its text form
 * ({@link app.regulars.insights.rule.RuleText}), its versioned JSON ({@link app.regulars.insights.rule.RuleJson}),
 * the catalogue of names and the type checker. Pure Java, no Spring. Open to other modules (the console's
 * builder renders the AST; journeys will store rules), hence a named interface.
 */
@org.springframework.modulith.NamedInterface("rule")
package app.regulars.insights.rule;
