package app.regulars.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NewMoonsTest {

    @Test
    void meeusWorkedExampleOfFebruary1977() {
        // Meeus example 49.a: 1977 Feb 18, 3h37m42s TD; ΔT was about 48 s then.
        Instant expected = Instant.parse("1977-02-18T03:36:54Z");
        assertThat(Duration.between(expected, NewMoons.instant(-283)).abs()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theNewMoonBeforeSpringFestival2027IsJustBeforeBeijingMidnight() {
        Instant moon = NewMoons.closestTo(Instant.parse("2027-02-06T00:00:00Z"));
        assertThat(Duration.between(Instant.parse("2027-02-06T15:56:00Z"), moon).abs()).isLessThan(Duration.ofMinutes(2));
    }
}
