package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded: a 100,000-line POS export (1,000,000 cells, about 40 MB of sheet XML) is read
 * in a separate JVM with a 96 MB heap. The streaming reader gets through it; the in-memory reader it
 * replaced runs out of heap on the same file with the same JVM settings, which is what makes this a
 * test of the reader and not of a file too small to matter.
 */
class XlsxMemoryTest {

    private static final int LINES = 100_000;
    private static final String HEAP = "96m";

    @TempDir
    Path dir;

    @Test
    void aHundredThousandLinesReadInA96MbHeapThatTheInMemoryReaderCannotOpenThemIn() throws Exception {
        Path file = dir.resolve("pos.xlsx");
        PosExport.write(file, LINES, 7L, "M-", "S1");

        XlsxReadProbe.Outcome streaming = XlsxReadProbe.inOwnJvm("streaming", file, LINES, HEAP, dir.resolve("streaming.log"));
        XlsxReadProbe.Outcome userModel = XlsxReadProbe.inOwnJvm("user-model", file, LINES, HEAP, dir.resolve("user-model.log"));
        System.out.printf("xlsx memory: %,d lines, %,d bytes, -Xmx%s: streaming exit %d, %s; user model exit %d after %.1f s, %s%n",
                LINES, Files.size(file), HEAP, streaming.exit(), streaming.lastLine(), userModel.exit(), userModel.seconds(),
                userModel.ranOutOfMemory() ? "OutOfMemoryError" : userModel.lastLine());

        assertThat(streaming.exit()).as(streaming.output()).isZero();
        assertThat(streaming.output()).contains("headers=[小票号, 门店, 消费时间, 手机号, 商品编码, 商品名称, 数量, 单价, 金额/实付, 金额/优惠]")
                .contains("rows=" + LINES + " ");
        assertThat(userModel.exit()).as("the in-memory reader in the same heap").isNotZero();
        assertThat(userModel.ranOutOfMemory()).as(userModel.lastLine()).isTrue();
    }
}
