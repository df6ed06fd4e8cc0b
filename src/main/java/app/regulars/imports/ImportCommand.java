package app.regulars.imports;

import app.regulars.platform.ApiProblem;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * {@code ./regulars import FILE [--type …] [--mapping NAME] [--skip-invalid] [--store CODE] [--source NAME]}:
 * runs one import in the foreground, prints progress and a summary, and exits 0 when it is done, 1
 * when it was rejected or failed, 2 on a usage error.
 */
@Component
@ConditionalOnProperty(name = "regulars.command", havingValue = "import")
class ImportCommand implements ApplicationRunner {

    static final String USAGE = """
            usage: ./regulars import FILE [--type customers|products|receipts] [--mapping NAME] [--skip-invalid]
                                          [--store CODE] [--source NAME] [--id-source NAME] [--date-format PATTERN]
                                          [--timezone ZONE] [--save-mapping NAME]""";

    private final Imports imports;
    private final ConfigurableApplicationContext context;
    private final PrintStream out;

    ImportCommand(Imports imports, ConfigurableApplicationContext context) {
        this.imports = imports;
        this.context = context;
        this.out = System.out;
    }

    /** The parsed command line. */
    record Args(Path file, ImportType type, String mapping, boolean skipInvalid, String store, String source,
                String idSource, String dateFormat, String timezone, String saveMapping) {

        /** Parses what follows "--" on the launcher's command line; Spring's own options are ignored. */
        static Args parse(List<String> raw) {
            Path file = null;
            ImportType type = null;
            String mapping = null;
            String store = null;
            String source = null;
            String idSource = null;
            String dateFormat = null;
            String timezone = null;
            String save = null;
            boolean skip = false;
            for (int i = 0; i < raw.size(); i++) {
                String a = raw.get(i);
                switch (a) {
                    case "--" -> { }
                    case "--skip-invalid" -> skip = true;
                    case "--type" -> type = ImportType.parse(value(raw, ++i, a))
                            .orElseThrow(() -> new IllegalArgumentException("--type must be customers, products or receipts"));
                    case "--mapping" -> mapping = value(raw, ++i, a);
                    case "--store" -> store = value(raw, ++i, a);
                    case "--source" -> source = value(raw, ++i, a);
                    case "--id-source" -> idSource = value(raw, ++i, a);
                    case "--date-format" -> dateFormat = value(raw, ++i, a);
                    case "--timezone" -> timezone = value(raw, ++i, a);
                    case "--save-mapping" -> save = value(raw, ++i, a);
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        if (file != null) {
                            throw new IllegalArgumentException("one file at a time");
                        }
                        file = Path.of(a);
                    }
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("which file?");
            }
            return new Args(file, type, mapping, skip, store, source, idSource, dateFormat, timezone, save);
        }

        private static String value(List<String> raw, int i, String option) {
            if (i >= raw.size() || raw.get(i).startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return raw.get(i);
        }
    }

    @Override
    public void run(ApplicationArguments arguments) {
        int code = execute(arguments.getNonOptionArgs(), arguments.getSourceArgs());
        int exit = SpringApplication.exit(context, () -> code);
        System.exit(exit);
    }

    /**
     * The launcher passes {@code --regulars.command=import … -- ARGS}; Spring treats {@code --x} words as
     * its own options, so the arguments are taken from the raw command line after the "--".
     */
    int execute(List<String> nonOption, String[] source) {
        List<String> raw = List.of(source);
        int dashes = raw.indexOf("--");
        List<String> args = dashes >= 0 ? raw.subList(dashes + 1, raw.size()) : nonOption;
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("regulars import: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (!Files.isRegularFile(a.file())) {
            System.err.println("regulars import: no such file " + a.file());
            return 2;
        }
        ImportOptions options = new ImportOptions(a.store(), a.source(), a.idSource(), a.skipInvalid(), a.dateFormat(),
                a.timezone());
        long started = System.nanoTime();
        ImportJob job;
        try {
            job = imports.run(new ImportRequest(a.file(), a.file().getFileName().toString(), a.type(), null, a.mapping(),
                    a.saveMapping(), options, "cli:" + System.getProperty("user.name", "?")), this::progress);
        } catch (ApiProblem e) {
            out.println();
            System.err.println("regulars import: " + e.getMessage());
            e.errors().stream().skip(1).forEach(f -> System.err.println("  " + f.field() + ": " + f.reason()));
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println();
        out.printf("import #%d %s: %s%n", job.id(), job.type().code(), job.status());
        out.printf("  rows %,d, applied %,d, errors %,d, %.1f s, %,.0f rows/s%n", job.totalRows(), job.appliedCount(),
                job.errorCount(), seconds, job.totalRows() / Math.max(seconds, 1e-3));
        job.facts().forEach((k, v) -> out.printf("  %s: %s%n", k, v));
        if (job.message() != null) {
            out.println("  " + job.message());
        }
        imports.errorReport(job.id()).ifPresent(p -> out.println("  error report: " + p));
        return ImportJob.DONE.equals(job.status()) ? 0 : 1;
    }

    private long lastPrinted;

    private void progress(String status, long total, long processed, long applied, long errors, int percent) {
        long now = System.nanoTime();
        if (now - lastPrinted < 1_000_000_000L) {
            return;
        }
        lastPrinted = now;
        out.printf("\r%-10s %3d%%  rows %,d  applied %,d  errors %,d   ", status, percent,
                ImportJob.VALIDATING.equals(status) ? processed : processed, applied, errors);
        out.flush();
    }
}
