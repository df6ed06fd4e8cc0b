package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The UCI "Online Retail II" file (2009–2010, 525,461 lines) through the normal import path, checked
 * against counts computed here from the same file with plain Java and the policy of
 * docs/decisions/0007-imports.md: returns (negative quantities, "C" invoices — no original receipt
 * number) and negative prices are reported and skipped; a price of 0 is a free item; a receipt with
 * any bad line, lines that disagree on time or customer, or more than 500 lines is skipped whole.
 */
class OnlineRetailImportTest extends IntegrationTest {

    static final Path FILE = Path.of("../shared/datasets/online_retail_ii/online_retail_II_2009-2010.csv.gz");

    @Autowired Imports imports;
    @Autowired Catalog catalog;
    @Autowired JdbcClient db;

    @Test
    void importsOnlineRetailIiAndTheCountsMatchTheFile() throws IOException {
        assumeTrue(Files.exists(FILE), "the online_retail_ii data set is beside the project in CI");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String store = TestStores.ensure(db, catalog, "UK-" + run);
        Expected expected = expected();

        long started = System.nanoTime();
        ImportJob job = imports.run(new ImportRequest(FILE, "online_retail_II_2009-2010.csv.gz", ImportType.RECEIPTS,
                Map.of("Invoice", "receipt_no", "StockCode", "sku", "Description", "name", "Quantity", "quantity",
                        "InvoiceDate", "purchased_at", "Price", "unit_price", "Customer ID", "external_id"),
                null, null, new ImportOptions(store, "online-retail-" + run, "online-retail", true, null, "Europe/London"),
                "test"), (s, t, p, a, e, pc) -> { });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("online_retail_II 2009-2010: %,d rows in %.1f s = %,.0f rows/s; facts %s%n",
                job.totalRows(), seconds, job.totalRows() / seconds, job.facts());

        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(job.totalRows()).isEqualTo(expected.rows);
        assertThat(job.appliedCount()).isEqualTo(expected.receipts);
        assertThat(job.facts()).containsEntry("receiptsInFile", expected.receiptsInFile)
                .containsEntry("receiptsCreated", expected.receipts)
                .containsEntry("lines", expected.lines)
                .containsEntry("customers", expected.customers);
        assertThat(((Number) job.facts().get("totalCents")).longValue()).isEqualTo(expected.cents);

        String source = "online-retail-" + run;
        assertThat(db.sql("select count(*) from receipt where source = ?").param(source).query(Long.class).single())
                .isEqualTo(expected.receipts);
        assertThat(db.sql("select count(*), coalesce(sum(l.amount_cents), 0) from receipt_line l join receipt r on r.id = l.receipt_id where r.source = ?")
                .param(source).query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                .containsExactly((long) expected.lines, expected.cents);
        assertThat(db.sql("select count(distinct customer_id) from receipt where source = ?").param(source)
                .query(Long.class).single()).isEqualTo(expected.customers);
    }

    /** What the file holds under the import policy, computed without any of the import code. */
    static final class Expected {
        long rows;
        int receiptsInFile;
        int receipts;
        int lines;
        long cents;
        int customers;
    }

    private static final class Invoice {
        final String time;
        final String customer;
        int lines;
        long cents;
        boolean bad;

        Invoice(String time, String customer) {
            this.time = time;
            this.customer = customer;
        }
    }

    static Expected expected() throws IOException {
        Map<String, Invoice> invoices = new HashMap<>();
        Expected e = new Expected();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(FILE)), StandardCharsets.UTF_8))) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                List<String> f = fields(line);
                e.rows++;
                Invoice inv = invoices.computeIfAbsent(f.get(0), k -> new Invoice(f.get(4), f.get(6)));
                int quantity = Integer.parseInt(f.get(3));
                BigDecimal price = new BigDecimal(f.get(5));
                inv.lines++;
                if (quantity <= 0 || price.signum() < 0 || price.stripTrailingZeros().scale() > 2
                        || !inv.time.equals(f.get(4)) || !inv.customer.equals(f.get(6))) {
                    inv.bad = true;
                } else {
                    inv.cents += quantity * price.movePointRight(2).longValueExact();
                }
            }
        }
        Set<String> customers = new HashSet<>();
        e.receiptsInFile = invoices.size();
        for (Invoice inv : invoices.values()) {
            if (!inv.bad && inv.lines <= 500) {
                e.receipts++;
                e.lines += inv.lines;
                e.cents += inv.cents;
                if (!inv.customer.isEmpty()) {
                    customers.add(inv.customer);
                }
            }
        }
        e.customers = customers.size();
        return e;
    }

    /** A CSV line split on commas outside double quotes ("" inside quotes is a quote). */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
