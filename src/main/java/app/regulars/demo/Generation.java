package app.regulars.demo;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.CategoryDraft;
import app.regulars.catalog.HolidayCalendar;
import app.regulars.catalog.StaffDraft;
import app.regulars.catalog.StoreDetails;
import app.regulars.catalog.StoreDraft;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.customers.ConsentChange;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.ProfileChange;
import app.regulars.customers.Registration;
import app.regulars.demo.DemoCatalog.DemoCategory;
import app.regulars.demo.DemoCatalog.DemoStaff;
import app.regulars.demo.DemoCatalog.DemoStore;
import app.regulars.platform.ApiProblem;
import app.regulars.purchases.IntakeResult;
import app.regulars.purchases.PurchaseIntake;
import app.regulars.purchases.ReceiptDraft;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads generated data through the modules' public APIs — catalog upserts, customer resolution,
 * receipt intake — so validation, idempotency and feed events hold as for a real POS. Receipts go in
 * batches of about {@value #BATCH}, each batch with its customers in one transaction. Running it
 * again with the same seed on the same day adds nothing: the receipt numbers are the same.
 */
@Service
class Generation {

    static final int BATCH = 1_000;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final Catalog catalog;
    private final Customers customers;
    private final CustomerProfiles profiles;
    private final PurchaseIntake intake;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectProvider<HolidayCalendar> holidays;

    Generation(Catalog catalog, Customers customers, CustomerProfiles profiles, PurchaseIntake intake, TransactionTemplate tx, Clock clock,
               ObjectProvider<HolidayCalendar> holidays) {
        this.catalog = catalog;
        this.customers = customers;
        this.profiles = profiles;
        this.intake = intake;
        this.tx = tx;
        this.clock = clock;
        this.holidays = holidays;
    }

    /**
     * Where a run is; {@code created} counts receipts this run wrote (not found from an earlier run).
     * {@code registering} and {@code intake} add up the time batches spent on customers and on receipts.
     */
    record Progress(int customersDone, int customers, long receiptsSent, long created, long lines, Duration elapsed,
                    Duration registering, Duration intake) {

        double receiptsPerSecond() {
            return receiptsSent / Math.max(0.001, elapsed.toNanos() / 1e9);
        }

        double linesPerSecond() {
            return lines / Math.max(0.001, elapsed.toNanos() / 1e9);
        }
    }

    /**
     * Generates and loads; {@code writers} batches are written at the same time (each in its own
     * transaction). Returns the final progress; throws the first failure after the batches in flight.
     */
    Progress run(long seed, int customerCount, long purchases, int writers, Consumer<Progress> progress) {
        LocalDate today = LocalDate.now(clock.withZone(DemoGenerator.ZONE));
        DemoGenerator generator = new DemoGenerator(seed, customerCount, purchases, today, calendar());
        Instant started = clock.instant();
        Map<String, Long> storeIds = loadCatalog(generator.catalog());
        Loader loader = new Loader(generator, storeIds, started, progress, Math.max(1, writers));
        generator.forEachShopper(loader::add);
        loader.flush();
        generator.forEachAnonymousBatch(BATCH, loader::addAnonymous);
        Progress done = loader.finish();
        progress.accept(done);
        return done;
    }

    /** Spring Festival dates from the catalog's holiday calendar when it has one, else from ICU. */
    private ShoppingCalendar calendar() {
        HolidayCalendar calendar = holidays.getIfAvailable();
        if (calendar == null) {
            return new ShoppingCalendar();
        }
        ShoppingCalendar icu = new ShoppingCalendar();
        return new ShoppingCalendar(year -> calendar.between(LocalDate.of(year, 1, 1), LocalDate.of(year, 2, 28))
                .stream().filter(h -> h.code().equals("spring-festival")).map(h -> h.date()).findFirst()
                .orElseGet(() -> icu.springFestival(year)));
    }

    private Map<String, Long> loadCatalog(DemoCatalog chain) {
        return tx.execute(status -> {
            Map<String, Long> storeIds = new LinkedHashMap<>();
            for (DemoStore store : chain.stores()) {
                StoreDetails saved = catalog.upsertStore(new StoreDraft(store.code(), store.name(), store.region(),
                        store.city(), DemoCatalog.ZONE, null, true));
                storeIds.put(store.code(), saved.id());
                for (DemoStaff staff : store.staff()) {
                    catalog.upsertStaff(saved.id(), new StaffDraft(staff.code(), staff.name(), "advisor", true));
                }
            }
            for (DemoCategory category : chain.categories()) { // parents come before their children
                Integer cycle = category.root() ? category.cycleDays() : null;
                catalog.upsertCategory(new CategoryDraft(category.code(), category.name(), category.parentCode(),
                        category.consumable() ? cycle : null, category.consumable() ? null : cycle));
            }
            catalog.upsertProducts(chain.products());
            return storeIds;
        });
    }

    /**
     * Collects shoppers into batches and writes each batch in one transaction, a few batches at a
     * time: batches share no customer (a customer's refunds travel with their sales), so they can go
     * in parallel, and registering a customer's profile is a handful of round trips worth overlapping.
     */
    private final class Loader {
        private final DemoGenerator generator;
        private final Map<String, Long> storeIds;
        private final Instant started;
        private final Consumer<Progress> progress;
        private final int writers;
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        private final Semaphore inFlight;
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final AtomicInteger customersDone = new AtomicInteger();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong created = new AtomicLong();
        private final AtomicLong lines = new AtomicLong();
        private final AtomicLong registerNanos = new AtomicLong();
        private final AtomicLong intakeNanos = new AtomicLong();
        private List<Shopper> shoppers = new ArrayList<>();
        private int pendingReceipts;
        private Instant lastReport;

        Loader(DemoGenerator generator, Map<String, Long> storeIds, Instant started, Consumer<Progress> progress,
               int writers) {
            this.generator = generator;
            this.storeIds = storeIds;
            this.started = started;
            this.lastReport = clock.instant();
            this.progress = progress;
            this.writers = writers;
            this.inFlight = new Semaphore(writers);
        }

        void add(Shopper shopper) {
            shoppers.add(shopper);
            pendingReceipts += shopper.receipts().size();
            if (pendingReceipts >= BATCH || shoppers.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            if (shoppers.isEmpty()) {
                return;
            }
            List<Shopper> batch = shoppers;
            shoppers = new ArrayList<>();
            pendingReceipts = 0;
            submit(() -> {
                List<ReceiptDraft> receipts = new ArrayList<>();
                batch.forEach(shopper -> receipts.addAll(shopper.receipts()));
                tx.executeWithoutResult(status -> {
                    // Customers first, with phone and card, so a receipt naming only one finds the same person.
                    long t0 = System.nanoTime();
                    register(batch);
                    long t1 = System.nanoTime();
                    record(intake.acceptAll(receipts), receipts);
                    registerNanos.addAndGet(t1 - t0);
                    intakeNanos.addAndGet(System.nanoTime() - t1);
                });
                customersDone.addAndGet(batch.size());
            });
        }

        void addAnonymous(List<ReceiptDraft> receipts) {
            submit(() -> tx.executeWithoutResult(status -> {
                long t0 = System.nanoTime();
                record(intake.acceptAll(receipts), receipts);
                intakeNanos.addAndGet(System.nanoTime() - t0);
            }));
        }

        private void submit(Runnable write) {
            failIfAny();
            inFlight.acquireUninterruptibly();
            pool.execute(() -> {
                try {
                    write.run();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    inFlight.release();
                }
            });
            report();
        }

        /** Waits for the batches in flight; rethrows the first failure. */
        Progress finish() {
            inFlight.acquireUninterruptibly(writers);
            inFlight.release(writers);
            pool.close();
            failIfAny();
            return progress();
        }

        private void failIfAny() {
            RuntimeException e = failure.get();
            if (e != null) {
                inFlight.acquireUninterruptibly(writers);
                pool.close();
                throw e;
            }
        }

        /**
         * New customers come in with profile and consents, the batch in one call; ones known from an
         * earlier run are left alone, so a second run neither rewrites profiles nor adds "customer
         * updated" events.
         */
        private void register(List<Shopper> batch) {
            Map<Identity, Long> known = customers.findAll(batch.stream().map(s -> s.customer().identity()).toList());
            List<Registration> registrations = batch.stream()
                    .filter(s -> !known.containsKey(s.customer().identity())).map(this::registration).toList();
            List<ApiProblem.FieldError> errors = profiles.registerAll(registrations).stream()
                    .flatMap(o -> o.errors().stream()).toList();
            if (!errors.isEmpty()) {
                throw ApiProblem.invalid(errors);
            }
        }

        private Registration registration(Shopper shopper) {
            DemoCustomer c = shopper.customer();
            Long store = storeIds.get(c.homeStoreCode());
            String channel = c.homeStoreCode().equals(DemoCatalog.ONLINE_STORE) ? "mini_program" : "store";
            String region = generator.catalog().store(c.homeStoreCode()).region();
            // A shopper joined at their first purchase (the demo's history reaches back years).
            Instant joined = shopper.receipts().isEmpty() ? signedUpWithoutBuying(c)
                    : shopper.receipts().getFirst().purchasedAt();
            ProfileChange profile = new ProfileChange(c.name(), null, null, c.gender(), c.birthday().toString(), null,
                    region, c.city(), store, null, c.advisorCode(), null, joined.toString());
            List<ConsentChange> consents = List.of(
                    new ConsentChange("sms", "marketing", c.smsMarketing(), joined, null, null, null),
                    new ConsentChange("wechat", "marketing", c.wechatMarketing(), joined, null, null, null),
                    new ConsentChange("sms", "service", true, joined, null, null, null));
            return new Registration(c.identity(), store, channel, profile, consents);
        }

        /**
         * A day in the demo's history for a member who never bought, the same on every run (from their
         * phone, itself from the seed): all of them joining on the day of the load would read as a glitch.
         */
        private Instant signedUpWithoutBuying(DemoCustomer c) {
            long days = ChronoUnit.DAYS.between(generator.firstDay(), generator.lastDay()) + 1;
            int hash = c.phone().hashCode();
            return generator.firstDay().plusDays(Math.floorMod(hash, days)).atTime(10, 0)
                    .plusMinutes(Math.floorMod(hash, 600)).atZone(ZoneId.of("Asia/Shanghai")).toInstant();
        }

        private void record(List<IntakeResult> results, List<ReceiptDraft> receipts) {
            sent.addAndGet(receipts.size());
            created.addAndGet(results.stream().filter(IntakeResult::created).count());
            lines.addAndGet(receipts.stream().mapToLong(r -> r.lines().size()).sum());
        }

        private void report() {
            Instant now = clock.instant();
            if (Duration.between(lastReport, now).compareTo(PROGRESS_EVERY) >= 0) {
                lastReport = now;
                progress.accept(progress());
            }
        }

        Progress progress() {
            return new Progress(customersDone.get(), generator.customers(), sent.get(), created.get(), lines.get(),
                    Duration.between(started, clock.instant()), Duration.ofNanos(registerNanos.get()),
                    Duration.ofNanos(intakeNanos.get()));
        }
    }
}
