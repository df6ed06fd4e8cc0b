package app.regulars.insights;

import app.regulars.insights.rule.Rule;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Evaluates rules over the in-memory customer index. Customers are numbered by ordinals that never
 * change while the application runs (a new customer gets the next one), so tag and segment
 * memberships are RoaringBitmaps over ordinals.
 */
public interface RuleEngine {

    /**
     * The customers for whom the rule holds now ("today" in each customer's store timezone).
     *
     * @param memberships the current tags and segments, for {@code tag(…)} and {@code segment(…)}
     * @throws RuleReferenceException when the rule names a tag, segment or field that does not exist
     */
    Matches evaluate(Rule rule, Memberships memberships);

    /**
     * The customers among {@code only} for whom the rule holds now: what a rule says about the
     * customers a batch of events touched, at the cost of those customers rather than of everyone.
     */
    default Matches evaluate(Rule rule, Memberships memberships, RoaringBitmap only) {
        Matches all = evaluate(rule, memberships);
        return new Matches(RoaringBitmap.and(all.ordinals(), only), all.population());
    }

    /** Whether the index has been built from the database (until then, evaluate waits). */
    boolean ready();

    /** The ordinal of a customer, or -1 when the index does not know it (yet). */
    int ordinalOf(long customerId);

    /** The customer id of an ordinal. */
    long customerIdOf(int ordinal);

    /**
     * Calls the listener, on the engine's own thread, after each batch of feed events is applied,
     * with the ordinals of the customers it touched; and once a day after each midnight of any
     * store timezone with all ordinals, because day-relative rules can flip then.
     */
    void onChange(Consumer<RoaringBitmap> touchedOrdinals);
}
