package app.regulars.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateArgumentsTest {

    @Test
    void sizesAndSeedAreReadInEitherForm() {
        assertThat(GenerateArguments.parse(List.of("--customers", "1_000", "--purchases=20000", "--seed", "7")))
                .isEqualTo(new GenerateArguments(1_000, 20_000, 7));
        assertThat(GenerateArguments.parse(List.of("--purchases", "10", "--customers", "2")).seed())
                .isEqualTo(GenerateArguments.DEFAULT_SEED);
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> GenerateArguments.parse(List.of("--customers", "10")))
                .hasMessageContaining("--purchases").hasMessageContaining(GenerateArguments.USAGE);
        assertThatThrownBy(() -> GenerateArguments.parse(List.of("--customers", "ten", "--purchases", "1")))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> GenerateArguments.parse(List.of("--customers", "0", "--purchases", "1")))
                .hasMessageContaining("between");
        assertThatThrownBy(() -> GenerateArguments.parse(List.of("--shoppers", "1")))
                .hasMessageContaining("unknown argument '--shoppers'");
        assertThatThrownBy(() -> GenerateArguments.parse(List.of("--customers")))
                .hasMessageContaining("needs a number");
    }

    @Test
    void theCommandsArgumentsAreWhatFollowsTheLoneDoubleDash() {
        assertThat(GenerateCommand.commandArguments(new String[] {"--regulars.command=generate", "--", "--customers", "5"}))
                .containsExactly("--customers", "5");
        assertThat(GenerateCommand.commandArguments(new String[] {"--regulars.command=generate"})).isEmpty();
    }
}
