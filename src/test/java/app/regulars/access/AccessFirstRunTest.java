package app.regulars.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessFirstRunTest {

    @TempDir
    Path dataDir;

    @Test
    void firstRunPrintsAndWritesCredentialsOnceForTheEmbeddedDatabase() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        FirstRunNotice notice = new FirstRunNotice(new PrintStream(printed, true, StandardCharsets.UTF_8));

        boolean first = notice.announceEmbedded(dataDir, "one-time-pw-1", "rk_first");
        String firstOutput = printed.toString(StandardCharsets.UTF_8);
        boolean second = notice.announceEmbedded(dataDir, "one-time-pw-2", "rk_second");

        Path file = dataDir.resolve("first-run-credentials");
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(Files.readAllLines(file)).containsExactly("owner_password=one-time-pw-1", "api_key=rk_first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(firstOutput).contains("one-time-pw-1").contains("rk_first").contains(file.toAbsolutePath().toString());
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(firstOutput).doesNotContain("one-time-pw-2");
    }

    @Test
    void anExternalDatabaseGetsThePasswordPrintedAndNoFile() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new FirstRunNotice(new PrintStream(printed, true, StandardCharsets.UTF_8)).announceExternal("one-time-pw-3");

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("one-time-pw-3");
        try (var files = Files.list(dataDir)) {
            assertThat(files).isEmpty();
        }
    }
}
