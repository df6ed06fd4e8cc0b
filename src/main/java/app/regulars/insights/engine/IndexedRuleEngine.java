package app.regulars.insights.engine;

import app.regulars.insights.CustomerInsights;
import app.regulars.insights.Insights;
import app.regulars.insights.Matches;
import app.regulars.insights.Memberships;
import app.regulars.insights.RuleEngine;
import app.regulars.insights.rule.Rule;
import app.regulars.platform.FeedWake;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule engine over the in-memory index: builds the index at start (in the background; {@link
 * #ready()} until then), tails the event feed, compiles each rule and runs it over all customers
 * in two halves on two cores. Also answers the {@link Insights} questions.
 */
final class IndexedRuleEngine implements RuleEngine, Insights {

    private static final Logger log = LoggerFactory.getLogger(IndexedRuleEngine.class);
    private static final long IDLE_MILLIS = 5;

    private final DataSource dataSource;
    private final ZoneId defaultZone;
    private final Clock clock;
    private final FeedWake wake;
    private final List<Consumer<RoaringBitmap>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch built = new CountDownLatch(1);
    /** The second evaluating thread; made at each start, since a stop shuts it down. */
    private volatile ExecutorService half = secondThread();
    private volatile CustomerIndex index;
    private volatile FeedTail tail;
    private volatile boolean running;
    private volatile Thread feedThread;
    private volatile boolean compacting;
    private volatile long buildMillis;
    /** The first build while it reads, for its progress. */
    private volatile IndexLoader loading;
    private volatile Throwable failure;
    private volatile Rfm rfm;

    /** An engine that no writer of this process wakes (tests, benches): it polls the feed as when busy. */
    IndexedRuleEngine(DataSource dataSource, ZoneId defaultZone, Clock clock) {
        this(dataSource, defaultZone, clock, FeedWake.unrung());
    }

    IndexedRuleEngine(DataSource dataSource, ZoneId defaultZone, Clock clock, FeedWake wake) {
        this.dataSource = dataSource;
        this.defaultZone = defaultZone;
        this.clock = clock;
        this.wake = wake;
    }

    // ---- life cycle ---------------------------------------------------------------------------

    /** Builds the index on a background thread, then follows the feed on it. */
    void start() {
        if (half.isShutdown()) {
            half = secondThread();
        }
        running = true;
        feedThread = Thread.ofPlatform().daemon().name("insights-index").start(this::buildAndFollow);
    }

    void stop() {
        running = false;
        Thread t = feedThread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        half.shutdownNow();
    }

    private static ExecutorService secondThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "insights-eval");
            t.setDaemon(true);
            return t;
        });
    }

    private void buildAndFollow() {
        try {
            build();
        } catch (RuntimeException e) {
            failure = e;
            log.error("The insights index could not be built", e);
            built.countDown();
            return;
        }
        long nextMidnight = nextMidnight();
        FeedWake.Pause pause = wake.pause(IDLE_MILLIS);
        while (running) {
            try {
                pause.holdDuringBulkLoad(() -> running); // stop() interrupts it too
                RoaringBitmap touched = tail.applyOnce();
                if (!touched.isEmpty()) {
                    notifyListeners(touched);
                    compactIfDue();
                } else {
                    pause.after(false);
                }
                if (clock.millis() >= nextMidnight) {
                    nextMidnight = nextMidnight();
                    copyRecentReceipts(index);
                    notifyListeners(everyone());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                log.error("The insights index could not apply feed events; retrying", e);
                sleepQuietly(1_000);
            }
        }
    }

    private void build() {
        long t0 = System.nanoTime();
        loading = new IndexLoader(dataSource, defaultZone);
        IndexLoader.Loaded loaded = loading.load();
        index = loaded.index();
        copyRecentReceipts(index);
        tail = new FeedTail(dataSource, loaded.index(), loaded.snapshot());
        buildMillis = (System.nanoTime() - t0) / 1_000_000;
        log.info("Insights index built in {} ms: {} customers, {} receipts, {} bytes per receipt", buildMillis,
                index.size, index.receipts.rows(), figures().receipts() == 0 ? 0
                        : figures().receiptBytes() / figures().receipts());
        built.countDown();
    }

    /** Rebuilds the index from the database now (the bench times this). */
    long rebuild() {
        CustomerIndex old = index;
        long t0 = System.nanoTime();
        IndexLoader.Loaded loaded = new IndexLoader(dataSource, defaultZone).load();
        copyRecentReceipts(loaded.index());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (old != null) {
            old.lock.writeLock().lock();
        }
        try {
            index = loaded.index();
            tail = new FeedTail(dataSource, loaded.index(), loaded.snapshot());
            rfm = null;
        } finally {
            if (old != null) {
                old.lock.writeLock().unlock();
            }
        }
        buildMillis = ms;
        return ms;
    }

    private void compactIfDue() {
        CustomerIndex x = index;
        if (compacting || !(x.receipts.needsCompaction() || x.interactions.needsCompaction())) {
            return;
        }
        compacting = true;
        Thread.ofPlatform().daemon().name("insights-compaction").start(() -> {
            try {
                compact(x);
            } finally {
                compacting = false;
            }
        });
    }

    private void compact(CustomerIndex x) {
        CustomerRows.Snapshot receipts;
        CustomerRows.Snapshot interactions;
        x.lock.readLock().lock();
        try {
            receipts = x.receipts.snapshot(x.size);
            interactions = x.interactions.snapshot(x.size);
        } finally {
            x.lock.readLock().unlock();
        }
        CustomerRows.Compacted r = x.receipts.compact(receipts);
        CustomerRows.Compacted i = x.interactions.compact(interactions);
        x.lock.writeLock().lock();
        try {
            x.receipts.install(r, x.size);
            x.interactions.install(i, x.size);
        } finally {
            x.lock.writeLock().unlock();
        }
        copyRecentReceipts(x);
    }

    /** Copies the base's recent receipts afresh: the base changed, or a day passed and the copy holds one less. */
    private void copyRecentReceipts(CustomerIndex x) {
        x.lock.readLock().lock();
        try {
            int today = Arrays.stream(today(x)).min().orElseThrow();
            x.recentReceipts = RecentReceipts.of(x.receipts, x.size, today - RecentReceipts.DAYS);
        } finally {
            x.lock.readLock().unlock();
        }
    }

    private void notifyListeners(RoaringBitmap touched) {
        for (Consumer<RoaringBitmap> l : listeners) {
            try {
                l.accept(touched);
            } catch (RuntimeException e) {
                log.error("An insights change listener failed", e);
            }
        }
    }

    private RoaringBitmap everyone() {
        RoaringBitmap all = new RoaringBitmap();
        all.add(0L, index.size);
        return all;
    }

    /** The next midnight of any timezone the index knows, as epoch millis. */
    private long nextMidnight() {
        Instant now = clock.instant();
        long next = Long.MAX_VALUE;
        for (ZoneId z : index.zones) {
            ZonedDateTime midnight = LocalDate.ofInstant(now, z).plusDays(1).atStartOfDay(z);
            next = Math.min(next, midnight.toInstant().toEpochMilli());
        }
        return next;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the index is built (evaluations before that wait rather than answer wrongly). */
    private CustomerIndex awaitIndex() {
        try {
            if (!built.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the insights index is still being built");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the insights index", e);
        }
        if (failure != null) {
            throw new IllegalStateException("the insights index could not be built", failure);
        }
        return index;
    }

    // ---- RuleEngine ---------------------------------------------------------------------------

    @Override
    public Matches evaluate(Rule rule, Memberships memberships) {
        CustomerIndex x = awaitIndex();
        CatalogFacts facts = facts(rule);
        x.lock.readLock().lock();
        try {
            int[] today = today(x);
            // One program per thread: nodes own their scratch arrays.
            Program a = compile(x, facts, memberships, today, rule);
            Program b = compile(x, facts, memberships, today, rule);
            AtomicInteger next = new AtomicInteger();
            CompletableFuture<RoaringBitmap> other = CompletableFuture.supplyAsync(() -> b.runChunks(next, x.size), half);
            RoaringBitmap mine = a.runChunks(next, x.size);
            return new Matches(RoaringBitmap.or(mine, other.join()), x.aliveCount);
        } finally {
            x.lock.readLock().unlock();
        }
    }

    @Override
    public Matches evaluate(Rule rule, Memberships memberships, RoaringBitmap only) {
        CustomerIndex x = awaitIndex();
        CatalogFacts facts = facts(rule);
        x.lock.readLock().lock();
        try {
            int[] today = today(x);
            return new Matches(compile(x, facts, memberships, today, rule).runOn(only), x.aliveCount);
        } finally {
            x.lock.readLock().unlock();
        }
    }

    private Program compile(CustomerIndex x, CatalogFacts facts, Memberships memberships, int[] today, Rule rule) {
        return new Compiler(x, facts, memberships, today, () -> rfm(x, today)).compile(rule);
    }

    private record CachedFacts(CatalogFacts facts, java.util.Set<String> products, long at) {}

    private volatile CachedFacts cachedFacts;

    /**
     * The catalog facts a rule needs, read again when older than a second or when the rule names a
     * product, coupon template or custom field they lack (it may have been defined since): the catalog
     * is not on the feed, and a rule typed in the console (or a bench polling) should not cost six
     * queries a call.
     */
    private CatalogFacts facts(Rule rule) {
        java.util.Set<String> products = CatalogFacts.products(rule);
        CachedFacts cached = cachedFacts;
        long now = System.nanoTime();
        if (cached != null && now - cached.at() < 1_000_000_000L && cached.products().containsAll(products)
                && cached.facts().couponTemplates().keySet().containsAll(CatalogFacts.couponTemplates(rule))
                && cached.facts().customFieldTypes().keySet().containsAll(CatalogFacts.customFields(rule))) {
            return cached.facts();
        }
        CatalogFacts fresh = CatalogFacts.read(dataSource, rule);
        cachedFacts = new CachedFacts(fresh, products, now);
        return fresh;
    }

    /** Today per timezone of the index, as epoch days. */
    int[] today(CustomerIndex x) {
        Instant now = clock.instant();
        int[] today = new int[x.zones.size()];
        for (int z = 0; z < today.length; z++) {
            today[z] = (int) LocalDate.ofInstant(now, x.zones.get(z)).toEpochDay();
        }
        return today;
    }

    /** RFM scores, recomputed when the index or the day changed since the last time. */
    private Rfm rfm(CustomerIndex x, int[] today) {
        Rfm cached = rfm;
        if (cached != null && cached.version == x.version && Arrays.equals(cached.today, today)
                && cached.r.length == x.size) {
            return cached;
        }
        Rfm fresh = Rfm.compute(x, today);
        rfm = fresh;
        return fresh;
    }

    @Override
    public boolean ready() {
        return built.getCount() == 0 && failure == null;
    }

    @Override
    public int ordinalOf(long customerId) {
        CustomerIndex x = index;
        if (x == null) {
            return -1;
        }
        x.lock.readLock().lock();
        try {
            return x.ordinalOf(customerId);
        } finally {
            x.lock.readLock().unlock();
        }
    }

    @Override
    public long customerIdOf(int ordinal) {
        CustomerIndex x = awaitIndex();
        x.lock.readLock().lock();
        try {
            return x.ids[ordinal];
        } finally {
            x.lock.readLock().unlock();
        }
    }

    @Override
    public void onChange(Consumer<RoaringBitmap> touchedOrdinals) {
        listeners.add(touchedOrdinals);
    }

    // ---- Insights -----------------------------------------------------------------------------

    @Override
    public Optional<CustomerInsights> metricsOf(long customerId) {
        CustomerIndex x = awaitIndex();
        CatalogFacts facts = facts(new Rule.And(List.of(), app.regulars.insights.rule.Span.NONE));
        x.lock.readLock().lock();
        try {
            int c = IndexLoader.ordinalFollowingMerges(x, customerId);
            if (c < 0 || !x.isAlive(c)) {
                return Optional.empty();
            }
            int[] today = today(x);
            Metrics m = new Metrics(x, today, facts.holidayDays());
            m.measure(c, true);
            Rfm scores = m.sales == 0 ? null : rfm(x, today);
            return Optional.of(insights(x, c, m, scores, today[x.zone[c]]));
        } finally {
            x.lock.readLock().unlock();
        }
    }

    private static CustomerInsights insights(CustomerIndex x, int c, Metrics m, Rfm scores, int today) {
        boolean buyer = m.sales > 0;
        return new CustomerInsights(x.ids[c], integer(m.daysSinceLastPurchase()), integer(m.daysSinceFirstPurchase()),
                (int) m.tenureDays(), m.sales, m.salesCents - m.refundCents,
                buyer ? Math.round((double) m.salesCents / m.sales) : null, date(m.firstPurchaseDate()),
                date(m.lastPurchaseDate()), real(m.cycle), date(m.nextExpectedPurchaseDate()), real(m.discountRate()),
                real(m.couponRedemptionRate()), real(m.returnsRate()), m.activeMonths, x.payments.text(m.preferredPayment),
                x.channels.text(m.preferredChannel), x.stores.text(m.preferredStore), real(m.holidayShare()),
                scores == null ? null : (int) scores.r[c], scores == null ? null : (int) scores.f[c],
                scores == null ? null : (int) scores.m[c],
                scores == null ? null : Compiler.SEGMENT_NAMES.text(scores.segment[c]),
                CustomerMix.categories(x, c, today), CustomerMix.stores(x, c, today),
                CustomerMix.interactions(x, c, today));
    }

    private static Integer integer(double v) {
        return Double.isNaN(v) ? null : (int) v;
    }

    private static Double real(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static LocalDate date(double v) {
        return Double.isNaN(v) ? null : LocalDate.ofEpochDay((long) v);
    }

    @Override
    public List<MonthlyRepurchase> repurchaseRate() {
        return analytics(null, Analytics::repurchaseRate);
    }

    @Override
    public List<CohortCell> cohorts() {
        return analytics(null, Analytics::cohorts);
    }

    @Override
    public List<MonthlyRepurchase> repurchaseRate(java.util.Set<Long> storeIds) {
        return analytics(java.util.Objects.requireNonNull(storeIds), Analytics::repurchaseRate);
    }

    @Override
    public List<CohortCell> cohorts(java.util.Set<Long> storeIds) {
        return analytics(java.util.Objects.requireNonNull(storeIds), Analytics::cohorts);
    }

    @Override
    public List<Insights.CohortValue> cohortValues() {
        return analytics(null, Analytics::cohortValues);
    }

    @Override
    public List<Insights.CohortValue> cohortValues(java.util.Set<Long> storeIds) {
        return analytics(java.util.Objects.requireNonNull(storeIds), Analytics::cohortValues);
    }

    /** Runs a dashboard question under the read lock, over the receipts of some stores (null: all). */
    private <T> T analytics(java.util.Set<Long> storeIds, java.util.function.Function<Analytics, T> question) {
        CustomerIndex x = awaitIndex();
        x.lock.readLock().lock();
        try {
            boolean[] stores = null;
            if (storeIds != null) {
                stores = new boolean[x.stores.size() + 1];
                for (long id : storeIds) {
                    int code = x.storeOf(id);
                    if (code > 0 && code < stores.length) {
                        stores[code] = true;
                    }
                }
            }
            return question.apply(new Analytics(x, half, stores));
        } finally {
            x.lock.readLock().unlock();
        }
    }

    /** ntile(5) quintiles as the analyst's SQL computes them (the bench's first question). */
    Analytics.Quintiles rfmQuintiles() {
        CustomerIndex x = awaitIndex();
        x.lock.readLock().lock();
        try {
            return new Analytics(x, half).rfmQuintiles();
        } finally {
            x.lock.readLock().unlock();
        }
    }

    @Override
    public IndexFigures figures() {
        CustomerIndex x = index;
        if (x == null) {
            IndexLoader reading = loading;
            return reading == null ? new IndexFigures(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                    : new IndexFigures(false, 0, 0, 0, 0, 0, 0, reading.rowsRead(), reading.rowsExpected(),
                            reading.arranged(), IndexLoader.ARRANGE_STEPS);
        }
        x.lock.readLock().lock();
        try {
            long receipts = x.receipts.rows();
            long lines = 0;
            for (int c = 0; c < x.size; c++) {
                Segment s = x.receipts.segmentOf(c);
                int n = x.receipts.count[c];
                if (n > 0) {
                    int first = x.receipts.start[c];
                    lines += s.lineEnd(first + n - 1) - s.lineStart(first);
                }
            }
            return new IndexFigures(ready(), x.aliveCount, receipts, lines, x.interactions.rows(), x.receiptBytes(),
                    buildMillis, 0, 0, 0, 0);
        } finally {
            x.lock.readLock().unlock();
        }
    }

    /** The index itself, for tests and the bench in this package. */
    CustomerIndex index() {
        return awaitIndex();
    }
}
