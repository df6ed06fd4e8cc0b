package app.regulars.insights.engine;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleJson;
import app.regulars.insights.rule.RuleText;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The JSON a rule is stored as is what the documented schema (docs/rule-language.md, "Schema") says:
 * every rule the property tests can make, and the documents' own examples, validate against it.
 */
class RuleJsonMatchesItsSchemaTest {

    private static final Schema SCHEMA = documentedSchema();

    /** The fenced JSON block under the "Schema" heading of the rule language's documentation. */
    private static Schema documentedSchema() {
        try {
            String doc = Files.readString(Path.of("docs", "rule-language.md"));
            int heading = doc.indexOf("### Schema (JSON Schema 2020-12)");
            int start = doc.indexOf("```json", heading) + "```json".length();
            String schema = doc.substring(start, doc.indexOf("```", start));
            return SchemaRegistry.withDialect(Dialects.getDraft202012()).getSchema(schema, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<Rule> rules() {
        return Rules.rules();
    }

    @Property(tries = 300, seed = "20261201", edgeCases = EdgeCasesMode.NONE)
    void everyRuleIsStoredAsTheSchemaSays(@ForAll("rules") Rule rule) {
        String json = RuleJson.writeString(rule);
        assertThat(SCHEMA.validate(json, InputFormat.JSON)).as(json).isEmpty();
    }

    @Example
    void theDocumentedExamplesAreStoredAsTheSchemaSays() {
        for (String text : new String[] {"spent(90d) > 5000 and orders(90d) > 3", "days_since_last_purchase > 180",
                "coupon_redemption_rate > 0.8 and not tag(\"staff\")",
                "orders(365d, category = \"skincare\") >= 2 and birthday within 7d",
                "rfm_segment = \"At risk\" and home_store in (\"SH-01\", \"SH-02\")",
                "spent(last_month) < 0.5 * spent(prev_3_months) / 3", "avg_rating(90d, product = \"SOFA-01\") <= 2",
                "events(\"ticket\", 30d) >= 1 and spent(around(\"spring_festival\", 7d)) > 1000",
                "orders(between(2025-01-01, 2025-03-31)) >= 1 or segment(\"regulars\")"}) {
            String json = RuleJson.writeString(RuleText.parse(text));
            assertThat(SCHEMA.validate(json, InputFormat.JSON)).as(text + " → " + json).isEmpty();
        }
    }

    @Example
    void aDocumentTheSchemaRefusesIsRefused() {
        assertThat(SCHEMA.validate("{\"version\": 1, \"rule\": {\"type\": \"compare\", \"operator\": \"~\"}}", InputFormat.JSON))
                .isNotEmpty();
    }
}
