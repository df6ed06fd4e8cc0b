package app.regulars.imports;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads an XLSX front to back in a JVM of its own with a heap of the test's choosing: {@code streaming}
 * with the import's reader, {@code user-model} with the in-memory one it replaced. Prints the headers,
 * the rows read, the time and the heap still in use halfway through (after a full collection: what the
 * open reader keeps), for {@link XlsxMemoryTest} and {@link XlsxReadThroughputTest} to judge and report.
 */
final class XlsxReadProbe {

    private XlsxReadProbe() {}

    /** How a probe JVM ended: its exit code, what it printed, how long it ran. */
    record Outcome(int exit, String output, double seconds) {
        String lastLine() {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.getLast();
        }

        boolean ranOutOfMemory() {
            return output.contains("OutOfMemoryError");
        }
    }

    /** Runs the probe with {@code reader} over {@code file} in a new JVM with heap {@code xmx} (e.g. "96m"). */
    static Outcome inOwnJvm(String reader, Path file, int lines, String xmx, Path log) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long started = System.nanoTime();
        Process p = new ProcessBuilder(java, "-Xmx" + xmx, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                XlsxReadProbe.class.getName(), reader, file.toString(), Integer.toString(lines))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(reader + " reader still running after 300 s");
        }
        return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), (System.nanoTime() - started) / 1e9);
    }

    public static void main(String[] args) {
        Path file = Path.of(args[1]);
        long started = System.nanoTime();
        long rows = 0;
        long liveMidway = -1;
        long halfway = Long.parseLong(args[2]) / 2;
        try (Sheet sheet = args[0].equals("streaming") ? Sheets.open(file) : UserModelXlsxSheet.open(file)) {
            System.out.println("headers=" + sheet.headers());
            for (SheetRow ignored : sheet) {
                if (++rows == halfway) {
                    System.gc();
                    liveMidway = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                }
            }
        }
        System.out.printf("rows=%d seconds=%.1f liveMidwayMb=%d%n", rows, (System.nanoTime() - started) / 1e9,
                liveMidway >> 20);
    }
}
