package app.regulars.imports;

import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.ProductDraft;
import app.regulars.catalog.Store;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.ProfileChange;
import app.regulars.customers.Registration;
import app.regulars.customers.Identity;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.FeedWake;
import app.regulars.purchases.IntakeResult;
import app.regulars.purchases.PurchaseIntake;
import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One import, in two passes over the file. Pass 1 reads and checks every row and writes the error
 * report; with errors and without skip-invalid nothing is applied. Pass 2 reads the file again and
 * applies it in batches through the owning modules (receipts through {@link PurchaseIntake}, products
 * through {@link Catalog}, customers through {@link CustomerProfiles}), each batch its own transaction, so
 * the event feed keeps moving and a re-run after a crash completes the import without duplicates.
 */
final class ImportRun {

    /**
     * A batch (one transaction) closes at this many receipts or {@link #LINES_PER_BATCH} lines: big
     * enough that the intake's fixed cost per call (SKU and customer look-ups) is shared, small enough
     * to commit within a second or two so feed consumers are not held back (0002).
     */
    static final int RECEIPTS_PER_BATCH = 2000;
    static final int LINES_PER_BATCH = 40_000;
    static final int ROWS_PER_BATCH = 1000;
    static final int MAX_LINES = 500;
    private static final Pattern BATCH_FIELD = Pattern.compile("receipts\\[(\\d+)]\\.(?:lines\\[(\\d+)]\\.)?([A-Za-z.]+).*");

    /** Where the run reports how far it has got; called often, throttle if it writes. */
    interface Progress {
        void report(String status, long totalRows, long processedRows, long applied, long errors, int percent);
    }

    /** How a run ended. */
    record Outcome(String status, long totalRows, long processedRows, long applied, long errors, Path report,
                   JobMessage message, Map<String, Object> facts) {}

    private final Sheets.Passes passes;
    private final ImportType type;
    private final Columns columns;
    private final ImportContext context;
    private final ErrorReport report;
    private final Progress progress;
    private final Catalog catalog;
    private final CustomerProfiles profiles;
    private final PurchaseIntake intake;
    private final TransactionTemplate tx;
    private final FeedWake feed;
    /** Held from the start of pass 2 to the end of the run (see {@link #startApplying}). */
    private FeedWake.BulkLoad bulkLoad;

    private long started;
    private volatile boolean applyingStarted;
    private long totalRows;
    private long processed;
    private long applied;
    private final Map<String, Object> facts = new LinkedHashMap<>();

    ImportRun(Path file, ImportType type, Columns columns, ImportContext context, ErrorReport report, Progress progress,
              Catalog catalog, CustomerProfiles profiles, PurchaseIntake intake, TransactionTemplate tx, FeedWake feed) {
        this.passes = new Sheets.Passes(file);
        this.type = type;
        this.columns = columns;
        this.context = context;
        this.report = report;
        this.progress = progress;
        this.catalog = catalog;
        this.profiles = profiles;
        this.intake = intake;
        this.tx = tx;
        this.feed = feed;
    }

    Outcome run() {
        started = System.nanoTime();
        try (report) {
            return type == ImportType.RECEIPTS ? receipts() : rowsOneByOne();
        } catch (Refused e) {
            return end(ImportJob.FAILED, JobMessage.CUSTOMERS_REFUSED);
        } catch (ApiProblem e) {
            // An unreadable file found during checking: nothing was applied, so it is a rejection.
            return end(applyingStarted ? ImportJob.FAILED : ImportJob.REJECTED, JobMessage.of(e));
        } finally {
            if (bulkLoad != null) {
                bulkLoad.close();
            }
        }
    }

    private Outcome end(String status, JobMessage message) {
        return new Outcome(status, totalRows, processed, applied, report.count(), report.path(), message, Map.copyOf(facts));
    }

    private boolean rejectOrGoOn(long badRows) {
        facts.put("rowsWithErrors", badRows);
        facts.put("validationSeconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return badRows > 0 && !context.options().skipInvalid();
    }

    private void validating(Sheet sheet) {
        if ((totalRows & 0x3ff) == 0) {
            progress.report(ImportJob.VALIDATING, 0, totalRows, 0, report.count(), (int) (sheet.fractionRead() * 50));
        }
    }

    /**
     * Pass 2 begins: the feed's readers step aside until the run ends (see {@link FeedWake}). WHY: on two
     * cores they took half the machine while the batches committed and read them in small batches; held,
     * a 200,000-line import applied at 34,000–59,000 lines/s instead of 20,000–27,000, and the CPU
     * until its events were digested fell (BENCHMARKS.md, 2026-12-01). Pass 1 writes nothing, so they
     * digest the import before it meanwhile.
     */
    private void startApplying() {
        bulkLoad = feed.bulkLoad();
        applyingStarted = true;
        progress.report(ImportJob.APPLYING, totalRows, 0, 0, report.count(), 50);
    }

    private void applying() {
        int percent = totalRows == 0 ? 100 : 50 + (int) (50 * processed / totalRows);
        progress.report(ImportJob.APPLYING, totalRows, processed, applied, report.count(), Math.min(percent, 99));
    }

    // ---- receipts ---------------------------------------------------------------------------------------

    /** What pass 1 learnt about a receipt number: where its last row is, and what its rows must agree on. */
    private static final class ReceiptState {
        long lastIndex;
        final long firstRow;
        int lines;
        final int store;
        final int time;
        final int customer;
        final int kind;
        boolean bad;
        /** The writer pass 2 gave this receipt to; -1 until then. */
        int writer = -1;

        ReceiptState(long index, long firstRow, ReceiptRow r) {
            this.lastIndex = index;
            this.firstRow = firstRow;
            this.store = java.util.Objects.hashCode(r.storeCode());
            this.time = java.util.Objects.hashCode(r.purchasedAt());
            this.customer = java.util.Objects.hash(r.phone(), r.cardNo(), r.externalId());
            this.kind = java.util.Objects.hash(r.refund(), r.originalReceiptNo());
        }
    }

    private Outcome receipts() {
        Map<String, ReceiptState> states = new HashMap<>();
        List<RowError> errors = new ArrayList<>();
        Cells cells = new Cells(columns, errors);
        BitSet badRows = new BitSet();
        try (Sheet sheet = passes.open()) {
            long index = 0;
            for (SheetRow row : sheet) {
                errors.clear();
                ReceiptRow r = ReceiptRow.read(cells.on(row), context, errors);
                String no = cells.text("receipt_no");
                ReceiptState state = no == null ? null : states.get(no);
                if (r != null) {
                    if (state == null) {
                        states.put(no, new ReceiptState(index, row.number(), r));
                    } else {
                        agree(cells, state, r);
                        state.lastIndex = index;
                    }
                    state = states.get(no);
                    if (++state.lines == MAX_LINES + 1) {
                        cells.fail("receipt_no", "tooManyLines", MAX_LINES);
                    }
                } else if (no != null && state == null) {
                    state = new ReceiptState(index, row.number(), new ReceiptRow(no, null, null, null, null, null, null,
                            null, 0, 0, 0, null, null, null, null, false, null, null));
                    states.put(no, state);
                }
                if (!errors.isEmpty()) {
                    badRows.set((int) index);
                    report.addAll(errors);
                    if (state != null) {
                        state.bad = true;
                    }
                }
                index++;
                totalRows = index;
                validating(sheet);
            }
        }
        long badReceipts = states.values().stream().filter(s -> s.bad).count();
        facts.put("receiptsInFile", states.size());
        facts.put("receiptsSkipped", badReceipts);
        if (rejectOrGoOn(badRows.cardinality())) {
            return end(ImportJob.REJECTED, JobMessage.HAS_ERRORS);
        }
        return applyReceipts(states);
    }

    /** Every line of a receipt must name the same store, time, customer and kind as its first line. */
    private static void agree(Cells cells, ReceiptState state, ReceiptRow r) {
        if (state.store != java.util.Objects.hashCode(r.storeCode())) {
            cells.fail("store", Reason.of("differs", state.firstRow));
        }
        if (state.time != java.util.Objects.hashCode(r.purchasedAt())) {
            cells.fail("purchased_at", Reason.of("differs", state.firstRow));
        }
        if (state.customer != java.util.Objects.hash(r.phone(), r.cardNo(), r.externalId())) {
            cells.fail(cells.columns().has("phone") ? "phone" : cells.columns().has("card_no") ? "card_no" : "external_id",
                    Reason.of("differs", state.firstRow));
        }
        if (state.kind != java.util.Objects.hash(r.refund(), r.originalReceiptNo())) {
            cells.fail(cells.columns().has("kind") ? "kind" : "quantity", Reason.of("differsKind", state.firstRow));
        }
    }

    /** A receipt being gathered in pass 2, with the file row of each line for error reporting. */
    private record Gathering(ReceiptRow head, List<ReceiptLine> lines, List<Long> rows) {}

    /**
     * Pass 2 for receipts. This thread reads and gathers; {@link #WRITERS} threads apply the batches,
     * so reading the file and writing the database overlap. Batches commit independently and in any
     * order: receipts are idempotent, and the event feed is safe for out-of-order commits. Each writer
     * has batches of its own, and a receipt goes to its customer's writer (a refund to its sale's, see
     * {@link #writerOf}). Dealt to any writer, a batch of refunds could run beside the batch holding
     * their sales, and they were refused as having no original; and in a first import, where every
     * customer is new, writers waited on one another's claims of the same new identity (0005).
     */
    private Outcome applyReceipts(Map<String, ReceiptState> states) {
        Map<String, Gathering> open = new HashMap<>();
        Receipts sums = new Receipts();
        List<RowError> errors = new ArrayList<>();
        Cells cells = new Cells(columns, errors);
        startApplying();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicReference<RuntimeException> crash = new AtomicReference<>();
        List<BlockingQueue<List<Gathering>>> queues = new ArrayList<>();
        List<List<Gathering>> batches = new ArrayList<>();
        long[] batchLines = new long[WRITERS];
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            BlockingQueue<List<Gathering>> queue = new ArrayBlockingQueue<>(2);
            queues.add(queue);
            batches.add(new ArrayList<>());
            writers.add(Thread.ofPlatform().name("import-writer-" + w)
                    .start(Callers.carried(() -> write(queue, sums, stopped, crash))));
        }
        try (Sheet sheet = passes.open()) {
            long index = 0;
            for (SheetRow row : sheet) {
                if (stopped.get()) {
                    break;
                }
                long i = index++;
                String no = cells.on(row).text("receipt_no");
                ReceiptState state = no == null ? null : states.get(no);
                if (state == null || state.bad) {
                    synchronized (this) {
                        processed++;
                    }
                    continue;
                }
                errors.clear();
                ReceiptRow r = ReceiptRow.read(cells, context, errors);
                if (r == null) {
                    continue; // cannot happen: pass 1 marked the receipt bad
                }
                Gathering g = open.computeIfAbsent(no, k -> new Gathering(r, new ArrayList<>(), new ArrayList<>()));
                g.lines().add(new ReceiptLine(r.sku(), r.name(), r.quantity(), r.unitPriceCents(), r.discountCents(),
                        r.couponCode()));
                g.rows().add(row.number());
                if (i == state.lastIndex) {
                    open.remove(no);
                    int w = writerOf(r, no, states);
                    state.writer = w;
                    batches.get(w).add(g);
                    batchLines[w] += g.lines().size();
                    if (batches.get(w).size() >= RECEIPTS_PER_BATCH || batchLines[w] >= LINES_PER_BATCH) {
                        put(queues.get(w), batches.get(w));
                        batches.set(w, new ArrayList<>());
                        batchLines[w] = 0;
                    }
                }
            }
            for (int w = 0; w < WRITERS; w++) {
                if (!batches.get(w).isEmpty()) {
                    put(queues.get(w), batches.get(w));
                }
            }
        } finally {
            for (var queue : queues) {
                put(queue, List.of());
            }
            for (Thread t : writers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (crash.get() != null) {
            throw crash.get();
        }
        if (stopped.get()) {
            return failedWhileApplying(sums);
        }
        processed = totalRows;
        sums.into(facts);
        return end(ImportJob.DONE, report.count() > 0 ? JobMessage.SKIPPED_ERRORS : null);
    }

    /**
     * A refund goes to the writer of its sale when the sale is in the file, so it is applied after it
     * (refused otherwise: its sale would not be committed yet); any other receipt to its customer's.
     */
    private static int writerOf(ReceiptRow r, String receiptNo, Map<String, ReceiptState> states) {
        ReceiptState sale = r.refund() && r.originalReceiptNo() != null ? states.get(r.originalReceiptNo()) : null;
        if (sale != null && sale.writer >= 0) {
            return sale.writer;
        }
        String customer = identityKey(r.phone(), r.cardNo(), r.externalId(), null);
        return Math.floorMod((customer.isEmpty() ? receiptNo : customer).hashCode(), WRITERS);
    }

    /** Writers overlap one batch's database round trips with another's work; more than 3 gained nothing on 2 cores. */
    static final int WRITERS = 3;

    private static void put(BlockingQueue<List<Gathering>> queue, List<Gathering> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A writer: applies batches until it takes the empty one; on refusal or crash it tells the reader to stop. */
    private void write(BlockingQueue<List<Gathering>> queue, Receipts sums, AtomicBoolean stopped,
                       AtomicReference<RuntimeException> crash) {
        while (true) {
            List<Gathering> batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                return;
            }
            if (stopped.get()) {
                continue;
            }
            try {
                if (!flushRetrying(batch, sums)) {
                    stopped.set(true);
                }
            } catch (RuntimeException e) {
                crash.compareAndSet(null, e);
                stopped.set(true);
            }
        }
    }

    /** Two writers may wait on each other's new customers or SKUs; the loser of a deadlock simply retries. */
    private boolean flushRetrying(List<Gathering> batch, Receipts sums) {
        for (int attempt = 1; ; attempt++) {
            try {
                return flush(batch, sums);
            } catch (org.springframework.dao.TransientDataAccessException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private Outcome failedWhileApplying(Receipts sums) {
        sums.into(facts);
        return end(ImportJob.FAILED, JobMessage.RECEIPTS_REFUSED);
    }

    /** Counts of what was applied, as facts of the job. */
    private static final class Receipts {
        long created;
        long existing;
        long lines;
        long totalCents;
        long intakeNanos;
        final Set<Long> customers = new HashSet<>();

        void into(Map<String, Object> facts) {
            facts.put("receiptsCreated", created);
            facts.put("receiptsAlreadyThere", existing);
            facts.put("lines", lines);
            facts.put("totalCents", totalCents);
            facts.put("customers", customers.size());
            facts.put("intakeSeconds", Math.round(intakeNanos / 1e8) / 10.0); // summed over the writer threads
        }
    }

    /**
     * Applies one batch. When the receipts module refuses receipts that pass 1 could not judge (an
     * unknown original receipt, …), they are reported at their rows; with skip-invalid the rest of the
     * batch is applied, otherwise the run stops. Returns false when it stops.
     */
    private boolean flush(List<Gathering> batch, Receipts sums) {
        List<Gathering> todo = new ArrayList<>(batch);
        while (!todo.isEmpty()) {
            List<ReceiptDraft> drafts = todo.stream().map(this::draft).toList();
            try {
                long t0 = System.nanoTime();
                List<IntakeResult> results = intake.acceptAll(drafts);
                synchronized (this) {
                    sums.intakeNanos += System.nanoTime() - t0;
                }
                counted(todo, results, sums);
                return true;
            } catch (ApiProblem e) {
                Set<Integer> refused = reportRefused(todo, e);
                if (refused.isEmpty() || !context.options().skipInvalid()) {
                    return false;
                }
                List<Gathering> rest = new ArrayList<>();
                for (int k = 0; k < todo.size(); k++) {
                    if (refused.contains(k)) {
                        synchronized (this) {
                            processed += todo.get(k).lines().size();
                        }
                    } else {
                        rest.add(todo.get(k));
                    }
                }
                todo = rest;
            }
        }
        return true;
    }

    private synchronized void counted(List<Gathering> todo, List<IntakeResult> results, Receipts sums) {
        for (int i = 0; i < results.size(); i++) {
            IntakeResult r = results.get(i);
            if (r.created()) {
                sums.created++;
            } else {
                sums.existing++;
            }
            sums.lines += todo.get(i).lines().size();
            sums.totalCents += r.totalCents();
            if (r.customerId() != null) {
                sums.customers.add(r.customerId());
            }
            processed += todo.get(i).lines().size();
        }
        applied += results.size();
        applying();
    }

    /** Reports the receipts the intake refused at their rows; returns their places in the batch. */
    private synchronized Set<Integer> reportRefused(List<Gathering> todo, ApiProblem e) {
        Set<Integer> refused = new HashSet<>();
        for (ApiProblem.FieldError f : e.errors()) {
            Matcher m = BATCH_FIELD.matcher(f.field());
            if (!m.matches()) {
                throw e;
            }
            int k = Integer.parseInt(m.group(1));
            Gathering g = todo.get(k);
            int line = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            report.add(new RowError(g.rows().get(Math.min(line, g.rows().size() - 1)), column(m.group(3)), Reason.refused(f)));
            refused.add(k);
        }
        return refused;
    }

    /** The file's column header for a field the receipts module names in its API terms. */
    private String column(String apiField) {
        String field = switch (apiField.startsWith("customer") ? "customer" : apiField) {
            case "receiptNo", "source" -> "receipt_no";
            case "storeCode" -> "store";
            case "purchasedAt" -> "purchased_at";
            case "customer" -> columns.has("phone") ? "phone" : columns.has("card_no") ? "card_no" : "external_id";
            case "unitPrice", "unitPriceCents" -> "unit_price";
            case "discount", "discountCents" -> "discount";
            case "couponCode" -> "coupon_code";
            case "paymentMethod" -> "payment_method";
            case "staffCode" -> "staff";
            case "originalReceiptNo" -> "original_receipt_no";
            case "reasonCode" -> "reason";
            case "lines" -> "sku";
            default -> apiField;
        };
        return columns.header(field);
    }

    private ReceiptDraft draft(Gathering g) {
        ReceiptRow h = g.head();
        String idSource = context.options().customerIdSource();
        Identity identity = new Identity(h.phone(), h.cardNo(), null, null, h.externalId() == null ? null : idSource,
                h.externalId());
        return new ReceiptDraft(context.options().source(), h.receiptNo(), h.refund() ? ReceiptDraft.REFUND : ReceiptDraft.SALE,
                identity.isEmpty() ? null : identity, h.storeCode(), h.purchasedAt(), h.channel(), h.paymentMethod(),
                h.staff(), List.copyOf(g.lines()), h.originalReceiptNo(), h.reason());
    }

    // ---- customers and products: one row is one thing ---------------------------------------------------

    private Outcome rowsOneByOne() {
        List<RowError> errors = new ArrayList<>();
        Cells cells = new Cells(columns, errors);
        BitSet badRows = new BitSet();
        try (Sheet sheet = passes.open()) {
            long index = 0;
            for (SheetRow row : sheet) {
                errors.clear();
                Object parsed = read(cells.on(row), errors);
                if (parsed == null || !errors.isEmpty()) {
                    badRows.set((int) index);
                    report.addAll(errors);
                }
                index++;
                totalRows = index;
                validating(sheet);
            }
        }
        if (rejectOrGoOn(badRows.cardinality())) {
            return end(ImportJob.REJECTED, JobMessage.HAS_ERRORS);
        }
        startApplying();
        // Customers go to STREAMS writers, each with batches of its own: a row goes to the stream of its
        // identity, so rows naming one customer the same way are applied in file order (the later row
        // wins) while the streams overlap one another's round trips. Products: one writer. Without
        // skip-invalid a refusal in this pass stops the import, and then only one stream keeps "applied"
        // a prefix of the file: every batch before the refused row's, none after it.
        int streams = type == ImportType.CUSTOMERS && context.options().skipInvalid() ? STREAMS : 1;
        List<java.util.concurrent.ExecutorService> writers = new ArrayList<>();
        List<List<Object>> batches = new ArrayList<>();
        for (int w = 0; w < streams; w++) {
            writers.add(java.util.concurrent.Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name("import-writer-" + w).factory()));
            batches.add(new ArrayList<>());
        }
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(streams * 2);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (Sheet sheet = passes.open()) {
            long index = 0;
            for (SheetRow row : sheet) {
                if (failure.get() != null) {
                    break;
                }
                if (badRows.get((int) index++)) {
                    continue;
                }
                errors.clear();
                Object parsed = read(cells.on(row), errors);
                int stream = parsed instanceof CustomerRow c ? Math.floorMod(identityKey(c).hashCode(), streams) : 0;
                List<Object> batch = batches.get(stream);
                batch.add(parsed);
                if (batch.size() >= ROWS_PER_BATCH) {
                    submit(writers.get(stream), inFlight, failure, batch, index);
                    batches.set(stream, new ArrayList<>());
                }
            }
            for (int w = 0; w < streams; w++) {
                if (!batches.get(w).isEmpty() && failure.get() == null) {
                    submit(writers.get(w), inFlight, failure, batches.get(w), totalRows);
                }
            }
        } finally {
            for (var w : writers) {
                w.shutdown();
            }
            try {
                for (var w : writers) {
                    w.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        processed = totalRows;
        facts.put(type == ImportType.CUSTOMERS ? "customers" : "products", applied);
        return end(ImportJob.DONE, report.count() > 0 ? JobMessage.SKIPPED_ERRORS : null);
    }

    private void submit(java.util.concurrent.ExecutorService writers, java.util.concurrent.Semaphore inFlight,
                        AtomicReference<RuntimeException> failure, List<Object> batch, long rowsRead) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        writers.execute(Callers.carried(() -> {
            try {
                if (failure.get() == null) {
                    applyRows(batch);
                    synchronized (this) {
                        processed = Math.max(processed, rowsRead);
                        applying();
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        }));
    }

    private synchronized void countApplied(long n) {
        applied += n;
    }

    private synchronized void reportAll(List<RowError> errors) {
        report.addAll(errors);
    }

    private Object read(Cells cells, List<RowError> errors) {
        return type == ImportType.CUSTOMERS ? CustomerRow.read(cells, context, errors) : ProductRow.read(cells, errors);
    }

    private void applyRows(List<Object> batch) {
        if (type == ImportType.PRODUCTS) {
            List<ProductDraft> products = batch.stream().map(ProductDraft.class::cast).toList();
            int created = catalog.upsertProducts(products);
            synchronized (this) {
                facts.merge("productsCreated", (long) created, (a, b) -> (Long) a + (Long) b);
            }
            countApplied(products.size());
            return;
        }
        List<CustomerRow> rows = batch.stream().map(CustomerRow.class::cast).toList();
        List<Registration> registrations = rows.stream().map(this::registration).toList();
        List<RowError> refused = new ArrayList<>();
        long registered = registerRetrying(registrations, rows, refused);
        countApplied(registered);
        if (!refused.isEmpty()) {
            // Something pass 1 could not judge (an identity owned by a merged customer, …).
            reportAll(refused);
            if (!context.options().skipInvalid()) {
                throw new Refused();
            }
        }
    }

    /** Two writers overlap each other's round trips; more only compete for the cores (0006). */
    static final int STREAMS = 2;

    /**
     * The identity a row's writer is chosen by: its first identity as written. Two rows naming one
     * customer differently (a phone in one, only the card in the other) may go to different writers,
     * and then which applies last is not fixed; each is still applied whole.
     */
    private static String identityKey(CustomerRow row) {
        var id = row.identity();
        return identityKey(id.phone(), id.cardNo(), id.externalId(), id.wechatOpenId());
    }

    private static String identityKey(String phone, String cardNo, String externalId, String wechatOpenId) {
        if (phone != null && !phone.isBlank()) {
            StringBuilder digits = new StringBuilder(phone.length());
            phone.chars().filter(c -> c >= '0' && c <= '9').forEach(digits::appendCodePoint);
            return digits.length() > 11 ? digits.substring(digits.length() - 11) : digits.toString();
        }
        for (String v : new String[] {cardNo, externalId, wechatOpenId}) {
            if (v != null && !v.isBlank()) {
                return v.strip().toUpperCase(java.util.Locale.ROOT);
            }
        }
        return "";
    }

    /** Pass 2 met a row the customers module refused, without skip-invalid: stop, keeping the batches before. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super("refused", null, false, false);
        }
    }

    /**
     * Registers a batch in one transaction (one call, a constant number of statements). Refused rows
     * go to {@code refused}; without skip-invalid they undo their batch. A deadlock with another
     * writer of the same customers (a till, the API) loses the whole batch, which is simply retried:
     * registering is idempotent. Returns how many rows were registered.
     */
    private long registerRetrying(List<Registration> registrations, List<CustomerRow> rows, List<RowError> refused) {
        for (int attempt = 1; ; attempt++) {
            refused.clear();
            try {
                return tx.execute(status -> {
                    long ok = 0;
                    for (Registration.Outcome o : profiles.registerAll(registrations)) {
                        if (!o.refused()) {
                            ok++;
                            continue;
                        }
                        CustomerRow row = rows.get(o.index());
                        o.errors().forEach(f -> refused.add(new RowError(row.rowNumber(),
                                columns.header(customerField(f.field())), Reason.refused(f))));
                    }
                    if (!refused.isEmpty() && !context.options().skipInvalid()) {
                        status.setRollbackOnly();
                        return 0L;
                    }
                    return ok;
                });
            } catch (org.springframework.dao.TransientDataAccessException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private Registration registration(CustomerRow row) {
        Long storeId = row.registrationStore() == null ? null
                : catalog.storeByCode(row.registrationStore()).map(Store::id).orElse(null);
        ProfileChange p = row.profile();
        Long home = row.homeStore() == null ? null : catalog.storeByCode(row.homeStore()).map(Store::id).orElse(null);
        ProfileChange profile = new ProfileChange(p.name(), null, null, p.gender(), p.birthday(), null, p.region(),
                p.city(), home, null, null, p.custom(), row.registeredAt() == null ? null : row.registeredAt().toString());
        return new Registration(row.identity(), storeId, row.registrationChannel(), profile, List.of());
    }

    /** The import field for a field the customers API names ("identity.phone", "custom.size", "birthday"). */
    private static String customerField(String apiField) {
        if (apiField.startsWith(ImportType.CUSTOM_PREFIX)) {
            return apiField;
        }
        String last = apiField.substring(apiField.lastIndexOf('.') + 1);
        return switch (last) {
            case "cardNo" -> "card_no";
            case "wechatOpenId" -> "wechat_openid";
            case "externalId" -> "external_id";
            case "homeStoreId" -> "home_store";
            case "registrationStoreId" -> "registration_store";
            case "registrationChannel" -> "registration_channel";
            case "registeredAt" -> "registered_at";
            default -> last;
        };
    }
}
