package app.regulars.insights.rule;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a rule may name beyond the catalogue, as it stands now: the chain's custom fields (and the ones
 * deleted, so a rule naming one is told so), the tags and segments that exist, the holidays of
 * the catalog's calendar, the loyalty tiers' codes (lowest first, not checked when empty) and the
 * coupon templates' names. A chain without coupon templates has an empty set, and a rule naming one is
 * refused; {@code null} means not checked (a vocabulary without the coupons module, in tests).
 */
public record Vocabulary(Map<String, CustomField> customFields, Set<String> deletedFields, Set<String> tags,
                         Set<String> segments, Set<String> holidays, List<String> tiers, Set<String> couponTemplates) {

    /** A run-time field by key; {@code choices} are the allowed values of a choice field. */
    public record CustomField(String key, Type type, List<String> choices) {}

    public Vocabulary {
        customFields = Map.copyOf(customFields);
        deletedFields = Set.copyOf(deletedFields);
        tags = Set.copyOf(tags);
        segments = Set.copyOf(segments);
        holidays = Set.copyOf(holidays);
        tiers = List.copyOf(tiers);
        couponTemplates = couponTemplates == null ? null : Set.copyOf(couponTemplates);
    }

    /** Without tiers or coupon templates (not checked). */
    public Vocabulary(Map<String, CustomField> customFields, Set<String> deletedFields, Set<String> tags,
                      Set<String> segments, Set<String> holidays) {
        this(customFields, deletedFields, tags, segments, holidays, List.of(), null);
    }

    /** Only the catalogue: no custom fields, tags, segments or holidays. */
    public static final Vocabulary CATALOGUE_ONLY = new Vocabulary(Map.of(), Set.of(), Set.of(), Set.of(), Set.of());
}
