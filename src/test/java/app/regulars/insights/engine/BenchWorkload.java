package app.regulars.insights.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The generated reference workload for {@code ./regulars bench insights}: N customers, M sale
 * receipts over the three years before today with 1–4 lines each (2.5 on average), 20 stores in
 * Asia/Shanghai, 2,000 SKUs in a two-level category tree. Written with COPY straight into the tables
 * (seeded, so every run has the same data); the load drops the foreign key and secondary indexes
 * first and rebuilds the one the baseline uses, receipt(customer_id, purchased_at).
 */
final class BenchWorkload {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final int STORES = 20;
    static final int SKUS = 2_000;

    private final int customers;
    private final long purchases;
    private final long seed;
    final Instant now;

    BenchWorkload(int customers, long purchases, long seed, Instant now) {
        this.customers = customers;
        this.purchases = purchases;
        this.seed = seed;
        this.now = now;
    }

    void load(DataSource dataSource) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("alter table receipt_line drop constraint if exists receipt_line_receipt_id_fkey");
            s.execute("alter table receipt drop constraint if exists receipt_idempotency");
            s.execute("drop index if exists receipt_customer_time, receipt_store_time, receipt_line_customer");
            s.execute("set synchronous_commit = off");
            catalog(s);
            copy(c, "customer (id, gender, birth_mmdd, home_store_id, registration_store_id, registration_channel, "
                    + "registered_at, updated_at)", this::customers);
            copy(c, "receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel, payment_method, "
                    + "total_cents, discount_cents)", out -> receipts(out, false));
            copy(c, "receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity, "
                    + "unit_price_cents, discount_cents, amount_cents, coupon_code)", out -> receipts(out, true));
            s.execute("create index receipt_customer_time on receipt (customer_id, purchased_at desc) "
                    + "where customer_id is not null");
            s.execute("select setval('receipt_id_seq', " + (purchases + 1) + ")");
            s.execute("select setval('customer_id_seq', " + (customers + 1) + ")");
            s.execute("vacuum analyze");
        }
    }

    private void catalog(Statement s) throws SQLException {
        for (int i = 1; i <= STORES; i++) {
            s.execute("insert into store (id, code, name, timezone) values (%d, 'S-%02d', 'Store %d', '%s')"
                    .formatted(i, i, i, ZONE.getId()));
        }
        for (int root = 1; root <= 10; root++) {
            s.execute("insert into category (id, code, name) values (%d, 'c%d', 'c%d')".formatted(root, root, root));
            for (int child = 1; child <= 5; child++) {
                int id = root * 10 + child;
                s.execute("insert into category (id, code, name, parent_id) values (%d, 'c%d', 'c%d', %d)"
                        .formatted(id, id, id, root));
            }
        }
        s.execute("insert into sku (id, code, name, category_id, price_cents) select i, 'SKU-' || i, 'SKU ' || i, "
                + "((i % 10) + 1) * 10 + (i % 5) + 1, 500 + (i * 37) % 20000 from generate_series(1, " + SKUS + ") i");
        s.execute("select setval('store_id_seq', " + STORES + "), setval('category_id_seq', 200), setval('sku_id_seq', "
                + SKUS + ")");
    }

    private interface Rows {
        void write(Out out) throws IOException;
    }

    private static void copy(Connection c, String table, Rows rows) throws SQLException, IOException {
        try (OutputStream raw = new PGCopyOutputStream(c.unwrap(PGConnection.class), "copy " + table + " from stdin",
                1 << 16); Out out = new Out(raw)) {
            rows.write(out);
        }
    }

    private void customers(Out out) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long today = LocalDate.ofInstant(now, ZONE).toEpochDay();
        for (int id = 1; id <= customers; id++) {
            int store = 1 + random.nextInt(STORES);
            long registered = (today - 1200 + random.nextInt(1200)) * 86_400L - 8 * 3600 + random.nextInt(86_400);
            out.num(id).tab().text(random.nextInt(10) < 6 ? "female" : "male").tab()
                    .text("%02d%02d".formatted(1 + random.nextInt(12), 1 + random.nextInt(28))).tab()
                    .num(store).tab().num(store).tab().text("store").tab()
                    .time(registered).tab().time(registered).eol();
        }
    }

    /**
     * Receipts (or, with {@code lines}, their lines) from one seeded stream, so both passes agree:
     * the customer (skewed, some buy often, many rarely), the time and each line's SKU and price.
     */
    private void receipts(Out out, boolean lines) throws IOException {
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        long end = now.getEpochSecond();
        long start = end - 3L * 365 * 86_400;
        for (long id = 1; id <= purchases; id++) {
            double u = random.nextDouble();
            long customer = 1 + (long) (customers * u * u);
            long at = start + (long) (random.nextDouble() * (end - start));
            int store = 1 + random.nextInt(STORES);
            int count = 1 + random.nextInt(4);
            boolean coupon = random.nextInt(10) == 0;
            long total = 0;
            long discount = 0;
            for (int l = 1; l <= count; l++) {
                int sku = 1 + random.nextInt(SKUS);
                int quantity = 1 + random.nextInt(3);
                long price = 500 + (sku * 37L) % 20_000;
                long off = random.nextInt(5) == 0 ? price / 10 : 0;
                long amount = quantity * price - off;
                total += amount;
                discount += off;
                if (lines) {
                    int category = ((sku % 10) + 1) * 10 + (sku % 5) + 1;
                    out.num(id).tab().num(l).tab().num(customer).tab().num(sku).tab().text("SKU-" + sku).tab()
                            .text("c" + category).tab().num(quantity).tab().num(price).tab().num(off).tab().num(amount)
                            .tab().text(coupon && l == 1 ? "C-1" : null).eol();
                }
            }
            if (!lines) {
                out.num(id).tab().text("bench").tab().text("B" + id).tab().text("sale").tab().num(customer).tab()
                        .num(store).tab().time(at).tab().text(random.nextInt(3) == 0 ? "online" : "store").tab()
                        .text(random.nextInt(2) == 0 ? "wechat_pay" : "alipay").tab().num(total).tab().num(discount).eol();
            } else {
                random.nextInt(3);
                random.nextInt(2);
            }
        }
    }

    /** A buffered COPY text writer: numbers and ASCII texts without a String per field. */
    private static final class Out implements AutoCloseable {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int pos;

        Out(OutputStream out) {
            this.out = out;
        }

        Out num(long v) throws IOException {
            return text(Long.toString(v));
        }

        Out time(long epochSecond) throws IOException {
            return text(Instant.ofEpochSecond(epochSecond).toString());
        }

        Out text(String s) throws IOException {
            if (s == null) {
                return text("\\N");
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (pos + b.length + 1 > buf.length) {
                flush();
            }
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        Out tab() throws IOException {
            return text("\t");
        }

        Out eol() throws IOException {
            return text("\n");
        }

        private void flush() throws IOException {
            out.write(buf, 0, pos);
            pos = 0;
        }

        @Override
        public void close() throws IOException {
            flush();
            out.close();
        }
    }
}
