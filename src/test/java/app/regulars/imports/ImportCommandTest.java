package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportCommandTest {

    @Test
    void readsTheArgumentsTheLauncherPassesAfterTheDoubleDash() {
        ImportCommand.Args a = ImportCommand.Args.parse(List.of("sales.csv.gz", "--type", "receipts", "--mapping", "POS",
                "--skip-invalid", "--store", "SH001", "--source", "pos-2024"));

        assertThat(a.file()).isEqualTo(Path.of("sales.csv.gz"));
        assertThat(a.type()).isEqualTo(ImportType.RECEIPTS);
        assertThat(a.mapping()).isEqualTo("POS");
        assertThat(a.skipInvalid()).isTrue();
        assertThat(a.store()).isEqualTo("SH001");
        assertThat(a.source()).isEqualTo("pos-2024");
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> ImportCommand.Args.parse(List.of("a.csv", "--type", "orders")))
                .hasMessageContaining("--type");
        assertThatThrownBy(() -> ImportCommand.Args.parse(List.of("a.csv", "--colour", "red")))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> ImportCommand.Args.parse(List.of("--skip-invalid"))).hasMessageContaining("which file");
        assertThatThrownBy(() -> ImportCommand.Args.parse(List.of("a.csv", "--store"))).hasMessageContaining("needs a value");
    }
}
