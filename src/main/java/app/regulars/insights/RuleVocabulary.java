package app.regulars.insights;

import app.regulars.catalog.HolidayCalendar;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.Type;
import app.regulars.insights.rule.Vocabulary;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** What rules may name right now: custom fields (and deleted ones), tags, segments and holidays. */
@Component
class RuleVocabulary {

    private final CustomFields customFields;
    private final Definitions definitions;
    private final HolidayCalendar holidays;
    private final Clock clock;
    /** Tiers and coupon templates are read straight from their tables: loyalty and coupons build on insights, not the reverse. */
    private final JdbcTemplate jdbc;

    RuleVocabulary(CustomFields customFields, Definitions definitions, HolidayCalendar holidays, Clock clock,
                   JdbcTemplate jdbc) {
        this.customFields = customFields;
        this.jdbc = jdbc;
        this.definitions = definitions;
        this.holidays = holidays;
        this.clock = clock;
    }

    Vocabulary current() {
        Map<String, Vocabulary.CustomField> active = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        for (CustomField f : customFields.allDefinitions()) {
            if (f.active()) {
                active.put(f.key(), new Vocabulary.CustomField(f.key(), type(f.type()), f.choices()));
            } else {
                deleted.add(f.key());
            }
        }
        Set<String> tags = definitions.all(Kind.TAG).stream().map(Definitions.Definition::name).collect(Collectors.toSet());
        Set<String> segments = definitions.all(Kind.SEGMENT).stream().map(Definitions.Definition::name)
                .collect(Collectors.toSet());
        return new Vocabulary(active, deleted, tags, segments, holidayCodes(),
                jdbc.queryForList("select code from loyalty_tier order by rank", String.class),
                Set.copyOf(jdbc.queryForList("select name from coupon_template", String.class)));
    }

    private volatile long holidaysReadAt = -1;
    private volatile Set<String> holidayCodes = Set.of();

    /**
     * The calendar's holiday codes around today, read at most once a minute (rounds run often), with
     * {@code -} for {@code _}: rules treat the two alike, and the checker looks a name up in both spellings.
     */
    private Set<String> holidayCodes() {
        long now = clock.millis();
        if (holidaysReadAt < 0 || now - holidaysReadAt > 60_000 || now < holidaysReadAt) {
            LocalDate today = LocalDate.now(clock);
            holidayCodes = holidays.between(today.minusYears(3), today.plusYears(1)).stream()
                    .map(h -> h.code().replace('_', '-')).collect(Collectors.toUnmodifiableSet());
            holidaysReadAt = now;
        }
        return holidayCodes;
    }

    private static Type type(CustomField.Type type) {
        return switch (type) {
            case number -> Type.NUMBER;
            case date -> Type.DATE;
            case text, choice -> Type.TEXT;
        };
    }
}
