package app.regulars.demo;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * {@code ./regulars generate --customers N --purchases M [--seed S]}: the launcher starts the
 * application without a web server and with {@code regulars.command=generate}; the command's own
 * arguments follow a lone {@code --}. Prints progress and a summary, then exits with 0, or 1 on
 * bad arguments or a failed load.
 */
@Component
@ConditionalOnProperty(name = "regulars.command", havingValue = "generate")
class GenerateCommand implements ApplicationRunner {

    /** Batches written at once: enough to overlap round trips, few enough to leave the pool to others. */
    static final int WRITERS = 4;

    private final Generation generation;
    private final ConfigurableApplicationContext context;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    GenerateCommand(Generation generation, ConfigurableApplicationContext context) {
        this.generation = generation;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        int code = execute(commandArguments(args.getSourceArgs()));
        System.exit(SpringApplication.exit(context, () -> code));
    }

    int execute(List<String> args) {
        GenerateArguments parsed;
        try {
            parsed = GenerateArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("regulars generate: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "Generating %,d customers and %,d purchases (seed %d)…%n", parsed.customers(),
                parsed.purchases(), parsed.seed());
        try {
            Generation.Progress done = generation.run(parsed.seed(), parsed.customers(), parsed.purchases(), WRITERS,
                    p -> out.printf(Locale.ROOT, "  %,d / %,d customers, %,d receipts (%,.0f receipts/s)%n",
                            p.customersDone(), p.customers(), p.receiptsSent(), p.receiptsPerSecond()));
            out.printf(Locale.ROOT, "Done in %.1f s: %,d receipts sent, %,d new (%,d already there), %,d lines;"
                            + " %,.0f receipts/s, %,.0f lines/s%n",
                    done.elapsed().toMillis() / 1000.0, done.receiptsSent(), done.created(),
                    done.receiptsSent() - done.created(), done.lines(), done.receiptsPerSecond(), done.linesPerSecond());
            out.printf(Locale.ROOT, "  writer time: %.1f s registering customers, %.1f s in receipt intake (%d writers)%n",
                    done.registering().toMillis() / 1000.0, done.intake().toMillis() / 1000.0, WRITERS);
            return 0;
        } catch (RuntimeException e) {
            // The message names the field, never personal data (ApiProblem and the modules see to that).
            err.println("regulars generate: failed: " + e.getMessage());
            return 1;
        }
    }

    /** What follows the lone "--" the launcher puts before the command's own arguments. */
    static List<String> commandArguments(String[] source) {
        List<String> all = Arrays.asList(source);
        int separator = all.indexOf("--");
        return separator < 0 ? List.of() : List.copyOf(all.subList(separator + 1, all.size()));
    }
}
