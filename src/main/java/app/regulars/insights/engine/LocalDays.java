package app.regulars.insights.engine;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Local epoch days of instants in the index's timezones, without allocating: after a zone's last
 * transition (Asia/Shanghai's was in 1991) its offset is fixed, so a day is one addition and one
 * division; older instants and zones with daylight saving go through the zone rules.
 */
final class LocalDays {

    private static final long PG_EPOCH_SECOND = 946_684_800L; // 2000-01-01T00:00Z

    private final List<ZoneId> zones;
    private long[] fixedFrom = new long[0];
    private int[] fixedOffset = new int[0];

    LocalDays(List<ZoneId> zones) {
        this.zones = zones;
    }

    /** The local day of a PostgreSQL timestamptz (microseconds since 2000-01-01) in zone z. */
    int ofPgMicros(long micros, int z) {
        return of(Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECOND, z);
    }

    int of(long epochSecond, int z) {
        if (z >= fixedFrom.length) {
            learn();
        }
        int offset = epochSecond >= fixedFrom[z] ? fixedOffset[z]
                : zones.get(z).getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        return (int) Math.floorDiv(epochSecond + offset, 86_400L);
    }

    private void learn() {
        int n = zones.size();
        fixedFrom = new long[n];
        fixedOffset = new int[n];
        for (int z = 0; z < n; z++) {
            ZoneRules rules = zones.get(z).getRules();
            List<ZoneOffsetTransition> transitions = rules.getTransitions();
            if (!rules.getTransitionRules().isEmpty()) {
                fixedFrom[z] = Long.MAX_VALUE; // daylight saving goes on: always ask the rules
            } else {
                fixedFrom[z] = transitions.isEmpty() ? Long.MIN_VALUE : transitions.getLast().toEpochSecond();
                fixedOffset[z] = rules.getOffset(Instant.ofEpochSecond(Math.max(fixedFrom[z], 0))).getTotalSeconds();
            }
        }
    }
}
