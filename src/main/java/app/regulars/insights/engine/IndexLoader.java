package app.regulars.insights.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Builds the index from PostgreSQL in one REPEATABLE READ transaction, so every table is read at the
 * same snapshot; the snapshot is returned so the feed can be tailed from exactly there (events the
 * snapshot did not see are applied, the others skipped). Rows stream out with binary COPY into
 * primitive arrays, then a counting sort by customer ordinal lays them out customer-major.
 */
final class IndexLoader {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IndexLoader.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final DataSource dataSource;
    private final ZoneId defaultZone;
    /** The build transaction's snapshot, exported so the lines are read in parallel at the same point. */
    private String exported;
    /** Rows read so far by all the build's streams, for a progress bar. */
    private final LongAdder read = new LongAdder();
    private volatile long expected;
    /** How many of the {@link #ARRANGE_STEPS} after the reads are done. */
    private volatile int arranged;
    /** Receipts sorted, lines read, lines matched to receipts, lines placed, receipts laid out. */
    static final int ARRANGE_STEPS = 5;

    IndexLoader(DataSource dataSource, ZoneId defaultZone) {
        this.dataSource = dataSource;
        this.defaultZone = defaultZone;
    }

    /** The index and the snapshot (pg_snapshot text) it was read at. */
    record Loaded(CustomerIndex index, String snapshot) {}

    Loaded load() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                String snapshot = single(c, "select pg_current_snapshot()::text");
                exported = single(c, "select pg_export_snapshot()");
                int customers = Integer.parseInt(single(c, "select count(*) from customer"));
                CustomerIndex index = new CustomerIndex(defaultZone, customers);
                readStores(c, index);
                int receipts = expectedRows(c, "receipt");
                expected = customers + (long) receipts + expectedRows(c, "receipt_line");
                List<CompletableFuture<LineTemp>> lines = startLines(c, receipts);
                long t0 = System.nanoTime();
                readCustomers(c, index);
                long t1 = System.nanoTime();
                readReceipts(c, index, receipts, lines);
                long t2 = System.nanoTime();
                readInteractions(c, index);
                long t3 = System.nanoTime();
                readLoyalty(c, index);
                long t4 = System.nanoTime();
                log.info("Index read: customers {} ms, receipts and lines {} ms, interactions {} ms, loyalty {} ms",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
                return new Loaded(index, snapshot);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not build the customer index", e);
        }
    }

    /** Customers, receipts and lines read so far. */
    long rowsRead() {
        return read.sum();
    }

    /** Steps done of laying the rows out by customer, once they are read (0 while reading). */
    int arranged() {
        return arranged;
    }

    /** About how many rows the build reads (the statistics' estimate); 0 until it knows. */
    long rowsExpected() {
        return expected;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String zoneLiteral() {
        return "'" + defaultZone.getId().replace("'", "''") + "'";
    }

    static void readStores(Connection c, CustomerIndex index) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, code, timezone from store order by id")) {
            while (rs.next()) {
                index.store(rs.getLong(1), rs.getString(2), rs.getString(3));
            }
        }
    }

    static final String CUSTOMER_COLUMNS = """
            c.id, c.merged_into, c.gender, c.birth_mmdd, c.age_band, c.city, c.region, c.home_store_id,
            c.registration_store_id, c.registration_channel,
            (c.registered_at at time zone coalesce(hs.timezone, %s))::date, c.custom::text
            from customer c left join store hs on hs.id = c.home_store_id""";

    private void readCustomers(Connection c, CustomerIndex index) throws SQLException {
        index.receipts = new CustomerRows(Receipts.WIDTH, Receipts.LINE_WIDTH, new Segment(Receipts.WIDTH, 16,
                new Segment(Receipts.LINE_WIDTH, 16, null)), new int[index.ids.length], new int[index.ids.length]);
        index.interactions = new CustomerRows(Receipts.I_WIDTH, 0, new Segment(Receipts.I_WIDTH, 16, null),
                new int[index.ids.length], new int[index.ids.length]);
        CopyReader.read(c, "select " + CUSTOMER_COLUMNS.formatted(zoneLiteral()) + " order by c.id", read, row -> {
            long id = row.int8(0);
            if (!row.isNull(1)) {
                index.mergedInto.put(id, row.int8(1));
                return;
            }
            index.setProfile(index.add(id), profile(row, index));
        });
    }

    /** A customer row (columns as in {@link #CUSTOMER_COLUMNS}) as the index keeps it. */
    static CustomerIndex.Profile profile(CopyReader row, CustomerIndex index) {
        String mmdd = row.text(3);
        return new CustomerIndex.Profile(row.code(2, index.texts), row.code(4, index.texts), row.code(5, index.texts),
                row.code(6, index.texts), row.code(9, index.texts),
                row.isNull(7) ? 0 : index.storeOf(row.int8(7)), row.isNull(8) ? 0 : index.storeOf(row.int8(8)),
                mmdd == null ? 0 : Integer.parseInt(mmdd), row.epochDay(10), custom(row.text(11)));
    }

    /** Custom values as text, exactly as {@code custom->>'key'} gives them to the SQL oracle. */
    static Map<String, String> custom(String json) {
        if (json == null || json.equals("{}")) {
            return Map.of();
        }
        try {
            Map<String, String> values = new LinkedHashMap<>();
            JsonNode node = JSON.readTree(json);
            node.properties().forEach(e -> {
                JsonNode v = e.getValue();
                if (!v.isNull()) {
                    values.put(e.getKey(), v.isNumber() ? v.decimalValue().toPlainString()
                            : v.isValueNode() ? v.asText() : v.toString());
                }
            });
            return values;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable custom fields", e);
        }
    }

    static final String RECEIPT_COLUMNS = """
            r.customer_id, r.id, r.kind = 'refund', (r.purchased_at at time zone s.timezone)::date, r.purchased_at,
            r.store_id, r.channel, r.payment_method, r.total_cents, r.discount_cents
            from receipt r join store s on s.id = r.store_id""";

    private static final String BULK_RECEIPTS = """
            select r.customer_id, r.id, r.kind = 'refund', r.purchased_at, r.store_id, r.channel, r.payment_method,
                   r.total_cents, r.discount_cents
            from receipt r where r.customer_id is not null""";

    static final String LINE_COLUMNS = """
            l.receipt_id, l.sku_id, l.category_code, l.quantity, l.amount_cents, l.coupon_code is not null
            from receipt_line l""";

    /** Receipts as read, in arrival order, before they are laid out customer-major. */
    private static final class ReceiptTemp {
        final Growable.Ints ordinal;
        final Growable.Longs id;
        final Growable.Ints day;
        final Growable.Ints attrs;
        final Growable.Longs amount;
        final Growable.Longs discount;

        ReceiptTemp(int capacity) {
            ordinal = new Growable.Ints(capacity);
            id = new Growable.Longs(capacity);
            day = new Growable.Ints(capacity);
            attrs = new Growable.Ints(capacity);
            amount = new Growable.Longs(capacity);
            discount = new Growable.Longs(capacity);
        }
    }

    /** Rows the statistics expect in a table (for initial capacities; 0 before the first analyze). */
    private static int expectedRows(Connection c, String table) throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE - 16, Long.parseLong(
                single(c, "select greatest(reltuples, 0)::bigint from pg_class where relname = '" + table + "'")));
    }

    /**
     * Starts reading the lines on two more connections (each half of the table's pages) at the build's
     * snapshot. They need nothing else the build reads, so they start first and overlap the customers
     * as well as the receipts.
     */
    private List<CompletableFuture<LineTemp>> startLines(Connection c, int receipts) throws SQLException {
        long pages = Long.parseLong(single(c, "select greatest(relpages, 1) from pg_class where relname = 'receipt_line'"));
        long half = pages / 2 + 1;
        return List.of(
                CompletableFuture.supplyAsync(() -> readLineTemp(receipts / 2, "l.ctid < '(" + half + ",0)'::tid")),
                CompletableFuture.supplyAsync(() -> readLineTemp(receipts / 2, "l.ctid >= '(" + half + ",0)'::tid")));
    }

    private void readReceipts(Connection c, CustomerIndex index, int expected,
                              List<CompletableFuture<LineTemp>> lineReads) throws SQLException {
        ReceiptTemp t = new ReceiptTemp(expected + 16);
        LocalDays localDays = new LocalDays(index.zones);
        // The local day is worked out here, not by PostgreSQL: its time zone conversion per row (and the
        // join to store for the zone) cost more than the rest of the read. Same IANA rules, same day.
        CopyReader.read(c, BULK_RECEIPTS, read, row -> {
            int ordinal = ordinalFollowingMerges(index, row.int8(0));
            if (ordinal < 0) {
                return;
            }
            int store = index.storeOf(row.int8(4));
            t.ordinal.add(ordinal);
            t.id.add(row.int8(1));
            t.day.add(localDays.ofPgMicros(row.int8(3), index.storeZone[store]));
            t.attrs.add(Receipts.attrs(store, row.code(5, index.channels), row.code(6, index.payments), row.bool(2),
                    false));
            t.amount.add(row.int8(7));
            t.discount.add(row.int8(8));
        });
        int n = t.ordinal.size;
        int[] counts = new int[index.size];
        int[] order = arrange(index.size, n, t.ordinal.a, t.day.a, counts);
        int[] finalRow = new int[n];
        for (int k = 0; k < n; k++) {
            finalRow[order[k]] = k;
        }
        long t0 = System.nanoTime();
        List<LineTemp> read = lineReads.stream().map(CompletableFuture::join).toList();
        arranged = 2; // the receipts sorted (the lines were still being read), every line read
        Lines lines = placeLines(read, new ReceiptIds(t.id.a, n), n, finalRow,
                index.categories, () -> arranged++);
        log.info("Index read: {} receipts arranged; lines placed {} ms after", n, (System.nanoTime() - t0) / 1_000_000);
        Segment receipts = new Segment(Receipts.WIDTH, n, lines.segment);
        receipts.reserve(n);
        int[] attrs = receipts.col(Receipts.ATTRS);
        int[] days = receipts.col(Receipts.DAY);
        for (int k = 0; k < n; k++) {
            int i = order[k];
            days[k] = t.day.a[i];
            receipts.put(Receipts.AMOUNT, k, t.amount.a[i]);
            receipts.put(Receipts.DISCOUNT, k, t.discount.a[i]);
            attrs[k] = t.attrs.a[i] | (lines.coupon[k] ? Receipts.COUPON : 0);
        }
        System.arraycopy(lines.start, 0, receipts.col(Receipts.LINES), 0, n);
        arranged = ARRANGE_STEPS;
        receipts.trim();
        index.receipts = new CustomerRows(Receipts.WIDTH, Receipts.LINE_WIDTH, receipts, starts(counts, index.ids.length),
                Arrays.copyOf(counts, index.ids.length));
    }

    private record Lines(Segment segment, int[] start, boolean[] coupon) {}

    /**
     * Lines as read, with their receipt ids, before they are placed under their receipts. Each stream
     * codes categories in a dictionary of its own (no lock shared per line); {@link #remap} turns its
     * codes into the index's.
     */
    private record LineTemp(Growable.Longs receipt, Growable.Ints sku, Growable.Ints packed, Growable.Longs amount,
                            Growable.Ints wideQuantity, Dictionary categories) {

        /** The index's category code for each of this stream's codes. */
        int[] remap(Dictionary into) {
            int[] code = new int[categories.size() + 1];
            for (int c = 1; c < code.length; c++) {
                code[c] = into.code(categories.text(c));
            }
            return code;
        }
    }

    /** Reads all lines on a connection of its own that imports the build's snapshot. */
    private LineTemp readLineTemp(int receipts, String pages) {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, receipts * 3L);
        LineTemp t = new LineTemp(new Growable.Longs(capacity), new Growable.Ints(capacity), new Growable.Ints(capacity),
                new Growable.Longs(capacity), new Growable.Ints(16), new Dictionary(Receipts.MAX_CATEGORIES));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement s = c.createStatement()) {
                s.execute("set transaction snapshot '" + exported + "'");
            }
            try {
                CopyReader.read(c, "select " + LINE_COLUMNS + " where l.customer_id is not null and " + pages, read, r -> {
                    t.receipt().add(r.int8(0));
                    t.sku().add((int) r.int8(1));
                    int q = r.int4(3);
                    if (q > Receipts.MAX_QUANTITY) {
                        t.wideQuantity().add(t.receipt().size - 1);
                        t.wideQuantity().add(q);
                    }
                    t.packed().add(Receipts.packLine(q, r.code(2, t.categories()), r.bool(5)));
                    t.amount().add(r.int8(4));
                });
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read receipt lines", e);
        }
        return t;
    }

    /**
     * Lays the lines out in their receipts' final order: a counting sort by receipt row. The scatter
     * is a random write per line into three 100 MB columns, bound by memory latency, so two threads
     * each place the lines of one half of the receipts.
     */
    private static Lines placeLines(List<LineTemp> parts, ReceiptIds ids, int n, int[] finalRow, Dictionary categories,
                                    Runnable stepDone) {
        int[][] rows = new int[parts.size()][];
        inParallel(parts.size(), p -> rows[p] = receiptRows(parts.get(p), ids, finalRow));
        stepDone.run();
        int[] start = new int[n + 1];
        for (int[] row : rows) {
            for (int k : row) {
                if (k >= 0) {
                    start[k + 1]++;
                }
            }
        }
        for (int k = 0; k < n; k++) {
            start[k + 1] += start[k];
        }
        int[][] remaps = new int[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            remaps[p] = parts.get(p).remap(categories);
        }
        Segment segment = new Segment(Receipts.LINE_WIDTH, start[n], null);
        segment.reserve(start[n]);
        boolean[] coupon = new boolean[n];
        int[] cursor = Arrays.copyOf(start, n);
        Growable.Longs[] wide = new Growable.Longs[2];
        inParallel(2, h -> wide[h] = scatter(parts, rows, remaps, h == 0 ? 0 : n / 2, h == 0 ? n / 2 : n, cursor,
                segment, coupon));
        stepDone.run();
        for (Growable.Longs w : wide) { // values that do not fit an int: the side table is not thread-safe
            for (int i = 0; i < w.size; i += 3) {
                segment.putSide((int) w.a[i], (int) w.a[i + 1], w.a[i + 2]);
            }
        }
        return new Lines(segment, start, coupon);
    }

    /** The final receipt row of each line of a stream (-1 for a receipt the index does not hold). */
    private static int[] receiptRows(LineTemp t, ReceiptIds ids, int[] finalRow) {
        int[] row = new int[t.receipt().size];
        for (int l = 0; l < row.length; l++) {
            int temp = ids.find(t.receipt().a[l]);
            row[l] = temp < 0 ? -1 : finalRow[temp];
        }
        return row;
    }

    /**
     * Places the lines of receipt rows [lo, hi); returns the wide values met as (column, line, value)
     * triples for the caller to put in the side table.
     */
    private static Growable.Longs scatter(List<LineTemp> parts, int[][] rows, int[][] remaps, int lo, int hi,
                                          int[] cursor, Segment segment, boolean[] coupon) {
        int[] skus = segment.col(Receipts.SKU);
        int[] packs = segment.col(Receipts.PACKED);
        int[] amounts = segment.col(Receipts.LINE_AMOUNT);
        Growable.Longs wide = new Growable.Longs(16);
        for (int p = 0; p < parts.size(); p++) {
            LineTemp t = parts.get(p);
            int[] row = rows[p];
            int[] remap = remaps[p];
            int[] placedAt = t.wideQuantity().size == 0 ? null : new int[row.length];
            for (int l = 0; l < row.length; l++) {
                int k = row[l];
                if (k < lo || k >= hi) {
                    continue; // the other thread's half, or a receipt the index does not hold (-1)
                }
                int at = cursor[k]++;
                int packed = t.packed().a[l];
                skus[at] = t.sku().a[l];
                packs[at] = packed & ~(0xFFFF << 15) | remap[Receipts.category(packed)] << 15;
                long amount = t.amount().a[l];
                if (Segment.fitsInt(amount)) {
                    amounts[at] = (int) amount;
                } else {
                    amounts[at] = Segment.WIDE;
                    addWide(wide, Receipts.LINE_AMOUNT, at, amount);
                }
                coupon[k] |= Receipts.lineCoupon(packed);
                if (placedAt != null) {
                    placedAt[l] = at;
                }
            }
            for (int w = 0; w < t.wideQuantity().size; w += 2) {
                int l = t.wideQuantity().a[w];
                if (row[l] >= lo && row[l] < hi) {
                    addWide(wide, Receipts.PACKED, placedAt[l], t.wideQuantity().a[w + 1]);
                }
            }
        }
        return wide;
    }

    private static void addWide(Growable.Longs wide, int column, int line, long value) {
        wide.add(column);
        wide.add(line);
        wide.add(value);
    }

    /** Runs {@code task(0) … task(n - 1)} on threads of their own and waits for all. */
    private static void inParallel(int n, java.util.function.IntConsumer task) {
        CompletableFuture<?>[] running = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            int part = i;
            running[i] = CompletableFuture.runAsync(() -> task.accept(part));
        }
        CompletableFuture.allOf(running).join();
    }

    /** Receipt id → position in the read order: a dense array when ids are dense, else a hash map. */
    private static final class ReceiptIds {
        private final long min;
        private final int[] dense;
        private final LongIntMap sparse;

        ReceiptIds(long[] ids, int n) {
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                lo = Math.min(lo, ids[i]);
                hi = Math.max(hi, ids[i]);
            }
            min = lo;
            if (n > 0 && hi - lo < 4L * n + 1024) {
                dense = new int[(int) (hi - lo + 1)];
                Arrays.fill(dense, -1);
                for (int i = 0; i < n; i++) {
                    dense[(int) (ids[i] - lo)] = i;
                }
                sparse = null;
            } else {
                dense = null;
                sparse = new LongIntMap(n);
                for (int i = 0; i < n; i++) {
                    sparse.put(ids[i], i);
                }
            }
        }

        int find(long id) {
            if (dense == null) {
                return sparse.get(id, -1);
            }
            long k = id - min;
            return k < 0 || k >= dense.length ? -1 : dense[(int) k];
        }
    }

    private void readInteractions(Connection c, CustomerIndex index) throws SQLException {
        Growable.Ints ordinal = new Growable.Ints(1024);
        Growable.Ints day = new Growable.Ints(1024);
        Growable.Ints attrs = new Growable.Ints(1024);
        Growable.Ints sku = new Growable.Ints(1024);
        CopyReader.read(c, """
                select i.customer_id, (i.occurred_at at time zone coalesce(s.timezone, %s))::date, i.type, i.store_id,
                       i.sku_id, i.rating
                from interaction i left join store s on s.id = i.store_id order by i.occurred_at, i.id"""
                .formatted(zoneLiteral()), row -> {
            int o = ordinalFollowingMerges(index, row.int8(0));
            if (o < 0) {
                return;
            }
            ordinal.add(o);
            day.add(row.epochDay(1));
            attrs.add(Receipts.interactionAttrs(row.code(2, index.interactionTypes),
                    row.isNull(5) ? 0 : (int) row.integer(5), row.isNull(3) ? 0 : index.storeOf(row.int8(3))));
            sku.add(row.isNull(4) ? 0 : (int) row.int8(4));
        });
        int n = ordinal.size;
        int[] counts = new int[index.size];
        int[] order = arrange(index.size, n, ordinal.a, day.a, counts);
        Segment segment = new Segment(Receipts.I_WIDTH, n, null);
        segment.reserve(n);
        for (int k = 0; k < n; k++) {
            int i = order[k];
            segment.col(Receipts.I_DAY)[k] = day.a[i];
            segment.col(Receipts.I_ATTRS)[k] = attrs.a[i];
            segment.col(Receipts.I_SKU)[k] = sku.a[i];
        }
        segment.trim();
        index.interactions = new CustomerRows(Receipts.I_WIDTH, 0, segment, starts(counts, index.ids.length),
                Arrays.copyOf(counts, index.ids.length));
    }

    /** Rows of a merged-away customer stay with its ordinal, which no rule sees: the loyalty modules move them. */
    private static void readLoyalty(Connection c, CustomerIndex index) throws SQLException {
        LoyaltyColumns.read(c, null, (id, member) -> {
            int o = index.ordinalOf(id);
            if (o >= 0) {
                index.loyalty.set(o, member);
            }
        });
    }

    /** The ordinal of a customer, or of the survivor they were merged into (-1 when unknown). */
    static int ordinalFollowingMerges(CustomerIndex index, long customerId) {
        long id = customerId;
        for (int hops = 0; hops < 16; hops++) {
            int o = index.ordinalOf(id);
            if (o >= 0 && index.isAlive(o)) {
                return o;
            }
            Long survivor = index.mergedInto.get(id);
            if (survivor == null) {
                return o;
            }
            id = survivor;
        }
        return -1;
    }

    private static int[] starts(int[] counts, int capacity) {
        int[] start = new int[capacity];
        int at = 0;
        for (int c = 0; c < counts.length; c++) {
            start[c] = at;
            at += counts[c];
        }
        return start;
    }

    /**
     * The customer-major order of rows read in any order, each customer's rows by day (ties in the
     * order read): two stable counting sorts, by day then by ordinal, and no comparison at all.
     * Returns, for each final position, the row read there; fills the number of rows per ordinal.
     */
    static int[] arrange(int customers, int n, int[] ordinal, int[] day, int[] counts) {
        int[] byDay = byDay(n, day);
        int[] next = new int[customers + 1];
        for (int i = 0; i < n; i++) {
            counts[ordinal[i]]++;
        }
        for (int c = 0; c < customers; c++) {
            next[c + 1] = next[c] + counts[c];
        }
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            int i = byDay[k];
            order[next[ordinal[i]]++] = i;
        }
        return order;
    }

    /** The rows in day order, stable: a counting sort over the span of days. */
    private static int[] byDay(int n, int[] day) {
        int[] order = new int[n];
        if (n == 0) {
            return order;
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, day[i]);
            hi = Math.max(hi, day[i]);
        }
        if ((long) hi - lo > 50_000_000L) {
            // Dates hundreds of millennia apart: a comparison sort (stable too) rather than a huge table.
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, Comparator.comparingInt(i -> day[i]));
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
            }
            return order;
        }
        int[] next = new int[hi - lo + 2];
        for (int i = 0; i < n; i++) {
            next[day[i] - lo + 1]++;
        }
        for (int d = 1; d < next.length; d++) {
            next[d] += next[d - 1];
        }
        for (int i = 0; i < n; i++) {
            order[next[day[i] - lo]++] = i;
        }
        return order;
    }

}
