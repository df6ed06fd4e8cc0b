package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.Definitions.Definition;
import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.RuleJson;
import app.regulars.insights.rule.RuleText;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationOrderTest {

    private static long nextId;

    private static Definition segment(String name, String rule) {
        return new Definition(Kind.SEGMENT, ++nextId, name, null, RuleJson.writeString(RuleText.parse(rule)), rule,
                null, null, null, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void aSegmentOnRfmScoresAndEverySegmentBuiltOnItWaitForTheFullRound() {
        Definition champions = segment("champions", "rfm_segment = \"Champions\"");
        Definition loyalChampions = segment("loyal champions", "segment(\"champions\") and orders(365d) > 5");
        Definition topR = segment("top r", "r_score >= 4");
        Definition bigSpenders = segment("big spenders", "spent(90d) > 5000");
        Definition bigAndLoyal = segment("big and loyal", "segment(\"big spenders\") and not segment(\"loyal champions\")");

        List<Definition> ordered = EvaluationOrder.of(List.of(bigAndLoyal, loyalChampions, bigSpenders, topR, champions));

        assertThat(ordered.indexOf(champions)).isLessThan(ordered.indexOf(loyalChampions));
        assertThat(ordered.indexOf(loyalChampions)).isLessThan(ordered.indexOf(bigAndLoyal));
        assertThat(EvaluationOrder.onRfm(ordered)).containsExactlyInAnyOrder(champions.nameKey(),
                loyalChampions.nameKey(), topR.nameKey(), bigAndLoyal.nameKey());
    }
}
