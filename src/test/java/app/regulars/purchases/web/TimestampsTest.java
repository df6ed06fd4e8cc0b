package app.regulars.purchases.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void theTillShapeReadsAsTheIsoParserReadsIt() {
        for (String t : new String[] {"2026-11-11T10:00:00+08:00", "2026-02-28T23:59:59Z", "2024-02-29T00:00:00-05:30",
                "2026-06-01T12:34:56+14:00"}) {
            assertThat(Timestamps.commonShape(t)).as(t).isEqualTo(OffsetDateTime.parse(t).toInstant());
        }
    }

    @Test
    void otherShapesAndImpossibleTimesAreLeftToTheGeneralParser() {
        for (String t : new String[] {"2026-11-11T10:00+08:00", "2026-11-11T10:00:00.5+08:00", "2026-13-11T10:00:00Z",
                "2026-02-30T10:00:00Z", "2026-11-11T24:00:00Z", "2026-11-11T10:00:00+19:00", "2026-11-11 10:00:00Z",
                "2026-11-11T10:00:00", "2026-1a-11T10:00:00Z"}) {
            assertThat(Timestamps.commonShape(t)).as(t).isNull();
        }
    }
}
