package app.regulars.demo;

import app.regulars.platform.Database;
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
 * and the generator's fixed receipt numbers make that add only what is missing.
 */
@Component
class FirstStartDemo {

    static final String SETTING = "demo.loaded";
    static final int CUSTOMERS = 2_000;
    static final long PURCHASES = 20_000;
    static final long SEED = 42;

    private static final Logger log = LoggerFactory.getLogger(FirstStartDemo.class);

    private final RegularsProperties properties;
    private final Database database;
    private final Environment environment;
    private final Generation generation;
    private final JdbcClient db;

    FirstStartDemo(RegularsProperties properties, Database database, Environment environment, Generation generation,
                   JdbcClient db) {
        this.properties = properties;
        this.database = database;
        this.environment = environment;
        this.generation = generation;
        this.db = db;
    }

    @EventListener(ApplicationReadyEvent.class)
    void loadOnFirstStart() {
        if (!wanted()) {
            return;
        }
        Thread.ofVirtual().name("demo-store").start(() -> load(CUSTOMERS, PURCHASES));
    }

    /** Only for a demo set-up: embedded database, demo on, not a command line tool, not loaded before. */
    boolean wanted() {
        return properties.demo() && database.isEmbedded() && environment.getProperty("regulars.command") == null
                && !loaded();
    }

    boolean loaded() {
        return db.sql("select count(*) from app_setting where key = ?").param(SETTING).query(Long.class).single() > 0;
    }

    void load(int customers, long purchases) {
        try {
            log.info("Loading the demo store ({} customers, {} receipts) in the background", customers, purchases);
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
