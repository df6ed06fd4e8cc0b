package app.regulars.demo;

import app.regulars.catalog.Catalog;
import app.regulars.platform.RegularsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo store: on the first start with the embedded database (and {@code regulars.demo=true}), a
 * small chain of {@value #CUSTOMERS} customers and {@value #PURCHASES} receipts is loaded in the
 * background, so the console is usable at once and fills up within a minute. {@code demo.loaded} in
 * {@code app_setting} marks it done; a start that crashed mid-load loads again on the next start,
 * and the generator's fixed receipt numbers make that add only what is missing. A chain that
 * already has stores before its first start (an import, a {@code generate}) gets no demo.
 */
@Component
class FirstStartDemo {

    static final String SETTING = "demo.loaded";
    /** Written before loading starts, so a crashed load is told apart from a chain with its own data. */
    static final String STARTED = "demo.started";
    static final int CUSTOMERS = 2_000;
    static final long PURCHASES = 20_000;
    static final long SEED = 42;

    private static final Logger log = LoggerFactory.getLogger(FirstStartDemo.class);

    private final RegularsProperties properties;
    private final Environment environment;
    private final Generation generation;
    private final JdbcClient db;
    private final Catalog catalog;

    FirstStartDemo(RegularsProperties properties, Environment environment, Generation generation,
                   JdbcClient db, Catalog catalog) {
        this.properties = properties;
        this.environment = environment;
        this.generation = generation;
        this.db = db;
        this.catalog = catalog;
    }

    @EventListener(ApplicationReadyEvent.class)
    void loadOnFirstStart() {
        if (!wanted()) {
            return;
        }
        Thread.ofVirtual().name("demo-store").start(() -> load(CUSTOMERS, PURCHASES));
    }

    /**
     * Only for a demo set-up: embedded database, demo on, not a command line tool, not loaded before,
     * and no stores of the chain's own (imported or generated before the first start) — unless it
     * is our own load that a crash interrupted.
     */
    boolean wanted() {
        return properties.demo() && embeddedSetUp() && environment.getProperty("regulars.command") == null
                && !loaded() && (has(STARTED) || catalog.stores().isEmpty());
    }

    /**
     * No external database configured. Not {@code Database#isEmbedded()}: after a crash the next start
     * re-attaches to the embedded PostgreSQL the dead process left running, which that method does
     * not count as embedded, and that is exactly the start that must complete the demo.
     */
    private boolean embeddedSetUp() {
        return properties.db() == null || !properties.db().external();
    }

    boolean loaded() {
        return has(SETTING);
    }

    private boolean has(String key) {
        return db.sql("select count(*) from app_setting where key = ?").param(key).query(Long.class).single() > 0;
    }

    void load(int customers, long purchases) {
        try {
            log.info("Loading the demo store ({} customers, {} receipts) in the background", customers, purchases);
            db.sql("insert into app_setting (key, value) values (?, ?) on conflict (key) do nothing")
                    .params(STARTED, "seed=" + SEED).update();
            Generation.Progress done = generation.run(SEED, customers, purchases, 2, p -> log.info(
                    "Demo store: {} of {} customers, {} receipts", p.customersDone(), p.customers(), p.receiptsSent()));
            db.sql("""
                    insert into app_setting (key, value) values (?, ?)
                    on conflict (key) do update set value = excluded.value, updated_at = now()
                    """).params(SETTING, "seed=" + SEED + ",receipts=" + done.receiptsSent()).update();
            log.info("Demo store loaded: {} receipts in {} s", done.receiptsSent(), done.elapsed().toSeconds());
        } catch (RuntimeException e) {
            log.warn("Loading the demo store failed; it is completed on the next start", e);
        }
    }
}
