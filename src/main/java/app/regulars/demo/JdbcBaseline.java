package app.regulars.demo;

import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The floor the benchmark compares with: the same receipts written by plain JDBC batches into bare
 * tables (no validation, idempotency, customer resolution, encryption or feed events), and the
 * customer 360 questions as two plain SQL queries without HTTP, JSON or decryption. The ratio says
 * what the real path costs on top of the database.
 */
@Component
@ConditionalOnProperty(name = "regulars.command", havingValue = "bench-intake")
class JdbcBaseline {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    JdbcBaseline(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    record BulkResult(long receipts, long lines, double seconds) {
        double receiptsPerSecond() {
            return receipts / Math.max(0.001, seconds);
        }
    }

    /** Inserts the generator's receipts in 1,000-receipt transactions into throw-away tables. */
    BulkResult bulk(DemoGenerator generator) {
        jdbc.execute("""
                create table bench_baseline_receipt (id bigint primary key, source text, receipt_no text, kind text,
                    customer_id bigint, store_code text, purchased_at timestamptz, channel text, payment_method text,
                    total_cents bigint, unique (source, receipt_no))""");
        jdbc.execute("""
                create table bench_baseline_line (receipt_id bigint, line_no int, sku_code text, quantity int,
                    unit_price_cents bigint, discount_cents bigint, coupon_code text, primary key (receipt_id, line_no))""");
        try {
            Rows rows = new Rows();
            long started = System.nanoTime();
            generator.forEachShopper(shopper -> {
                shopper.receipts().forEach(r -> rows.add(r, shopper.customer().ordinal() + 1L));
                if (rows.receipts.size() >= Generation.BATCH) {
                    rows.flush();
                }
            });
            rows.flush();
            generator.forEachAnonymousBatch(Generation.BATCH, batch -> {
                batch.forEach(r -> rows.add(r, null));
                rows.flush();
            });
            return new BulkResult(rows.ids, rows.lineCount, (System.nanoTime() - started) / 1e9);
        } finally {
            jdbc.execute("drop table bench_baseline_line");
            jdbc.execute("drop table bench_baseline_receipt");
        }
    }

    /** Rows waiting for the next batch, numbered as they come. */
    private final class Rows {
        final List<Object[]> receipts = new ArrayList<>();
        final List<Object[]> lines = new ArrayList<>();
        long ids;
        long lineCount;

        void add(ReceiptDraft r, Long customerId) {
            long id = ++ids;
            long total = 0;
            for (int j = 0; j < r.lines().size(); j++) {
                ReceiptLine l = r.lines().get(j);
                total += l.quantity() * l.unitPriceCents() - l.discountCents();
                lines.add(new Object[] {id, j, l.sku(), l.quantity(), l.unitPriceCents(), l.discountCents(), l.couponCode()});
            }
            lineCount += r.lines().size();
            receipts.add(new Object[] {id, r.source(), r.receiptNo(), r.kind(), customerId, r.storeCode(),
                    Timestamp.from(r.purchasedAt()), r.channel(), r.paymentMethod(), total});
        }

        void flush() {
            if (receipts.isEmpty()) {
                return;
            }
            tx.executeWithoutResult(s -> {
                jdbc.batchUpdate("insert into bench_baseline_receipt values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", receipts);
                jdbc.batchUpdate("insert into bench_baseline_line values (?, ?, ?, ?, ?, ?, ?)", lines);
            });
            receipts.clear();
            lines.clear();
        }
    }

    /** The customer row and their latest 20 receipts with lines, as plain SQL; nanoseconds per customer. */
    long[] lookups(List<Long> customerIds) {
        long[] nanos = new long[customerIds.size()];
        for (int i = 0; i < nanos.length; i++) {
            long id = customerIds.get(i);
            long t0 = System.nanoTime();
            List<Map<String, Object>> customer = jdbc.queryForList("select * from customer where id = ?", id);
            List<Map<String, Object>> receipts = jdbc.queryForList("""
                    select r.*, l.* from (select * from receipt where customer_id = ? order by purchased_at desc limit 20) r
                    join receipt_line l on l.receipt_id = r.id order by r.purchased_at desc, l.line_no""", id);
            nanos[i] = System.nanoTime() - t0;
            if (customer.isEmpty() || receipts == null) {
                throw new IllegalStateException("customer " + id + " not found by the baseline");
            }
        }
        return nanos;
    }
}
