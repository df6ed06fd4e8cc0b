package app.regulars.insights;

import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.Catalogue;
import app.regulars.insights.rule.RuleJson;
import app.regulars.insights.rule.RuleText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The segments every chain starts with, created once on the first start and then the chain's own to
 * edit or delete (a deleted built-in does not come back). Their rules are starting points over the
 * catalogue's metrics; the console shows them with a translated label ({@code builtin.<key>}).
 */
@Component
class BuiltInSegments implements SmartLifecycle {

    /** A built-in: stable key, name rules use, rule text. */
    record BuiltIn(String key, String name, String rule) {}

    static final List<BuiltIn> ALL;

    static {
        List<BuiltIn> all = new ArrayList<>(List.of(
                new BuiltIn("high_value", "high value", "m_score >= 4 and f_score >= 4"),
                new BuiltIn("potential", "potential", "m_score >= 4 and f_score <= 2 and r_score >= 3"),
                new BuiltIn("new", "new customers", "days_since_first_purchase <= 30"),
                new BuiltIn("sleeping", "sleeping", "days_since_last_purchase > 180"),
                new BuiltIn("churn_risk", "churn risk",
                        "days_since_last_purchase > 1.5 * repurchase_cycle_days and days_since_last_purchase <= 180"),
                new BuiltIn("price_sensitive", "price-sensitive", "discount_rate >= 0.3 or coupon_redemption_rate >= 0.6"),
                new BuiltIn("new_product_tryer", "new-product tryers", "distinct(product, 90d) >= 5 and orders(90d) >= 2")));
        for (String rfm : Catalogue.RFM_SEGMENTS) {
            String key = "rfm_" + rfm.toLowerCase(Locale.ROOT).replace("'", "").replace(' ', '_');
            all.add(new BuiltIn(key, "RFM " + rfm, "rfm_segment = " + "\"" + rfm.replace("\"", "\\\"") + "\""));
        }
        ALL = List.copyOf(all);
    }

    private static final String SETTING = "insights.builtin-segments.v1";

    /**
     * The message key of a built-in's translated name ({@code builtin.sleeping}) while the segment keeps
     * the name it was created with; null once the chain renamed it (then its own name is what it is).
     */
    static String labelKey(String key, String name) {
        if (key == null || name == null) {
            return null;
        }
        return ALL.stream().filter(b -> b.key().equals(key) && b.name().equalsIgnoreCase(name.strip())).findFirst()
                .map(b -> "builtin." + b.key()).orElse(null);
    }

    private final Definitions definitions;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private volatile boolean running;

    BuiltInSegments(Definitions definitions, JdbcClient db, TransactionTemplate tx) {
        this.definitions = definitions;
        this.db = db;
        this.tx = tx;
    }

    @Override
    public void start() {
        tx.executeWithoutResult(s -> {
            boolean done = db.sql("insert into app_setting (key, value) values (?, 'done') on conflict (key) do nothing")
                    .param(SETTING).update() == 0;
            if (done) {
                return;
            }
            for (BuiltIn b : ALL) {
                if (definitions.findByName(Kind.SEGMENT, b.name()).isEmpty()) {
                    var rule = RuleText.parse(b.rule());
                    definitions.insert(Kind.SEGMENT, b.name(), null, RuleJson.writeString(rule), RuleText.print(rule), b.key());
                }
            }
        });
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 200; // before SegmentMembership loads the definitions
    }
}
