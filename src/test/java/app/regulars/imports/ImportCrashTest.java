package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.ChildRegulars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regulars as a separate OS process, SIGKILLed while a bulk receipt import is applying, restarted on
 * the same data: the import says it was interrupted and how to finish it; importing the same file
 * again leaves exactly the file's receipts, lines and amounts (nothing lost, nothing twice), and the
 * customer stats consumer has counted every receipt exactly once and read the feed to its end.
 */
@Tag("crash")
class ImportCrashTest {

    private static final int LINES = 150_000;
    private static final int CUSTOMERS = 3_000;
    private static final String STORE = "CRASH-IMP";
    private static final String SOURCE = "crash-import";

    private final ObjectMapper json = new ObjectMapper();
    private ChildRegulars child;
    private String key;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aServerKilledMidImportIsCompletedByImportingTheSameFileAgain() throws Exception {
        child = ChildRegulars.prepare("import-crash");
        Path file = child.dataDir().resolve("crash-receipts.csv");
        Expected expected = write(file);
        child.start("first");
        child.insertStore(STORE, "Import crash test store");
        key = child.insertApiKey();

        long jobId = upload(file);
        JsonNode atKill = null;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (atKill == null && System.nanoTime() < until) {
            JsonNode job = job(jobId);
            assertThat(job.path("status").asText()).as("import finished before it could be killed: %s", job)
                    .isNotIn(ImportJob.DONE, ImportJob.REJECTED, ImportJob.FAILED);
            long processed = job.path("processedRows").asLong();
            // A quarter in: several batches committed by the writers, in whatever order they finished.
            if (ImportJob.APPLYING.equals(job.path("status").asText()) && processed > job.path("totalRows").asLong() / 4
                    && processed < job.path("totalRows").asLong()) {
                atKill = job;
            } else {
                Thread.sleep(20);
            }
        }
        assertThat(atKill).as("the import reached the applying pass within 60 s").isNotNull();
        long pid = child.pid();
        int exit = child.kill();
        assertThat(exit).as("pid %d died of SIGKILL (128 + 9)", pid).isEqualTo(137);
        System.out.printf("import crash test: SIGKILL while %s, %,d of %,d rows processed (%d%%)%n",
                atKill.path("status").asText(), atKill.path("processedRows").asLong(), atKill.path("totalRows").asLong(),
                atKill.path("progressPercent").asInt());

        child.start("second");
        // Healthy can come a moment before the ready event that marks abandoned imports.
        JsonNode interrupted = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(jobId), j -> !ImportJob.APPLYING.equals(j.path("status").asText()));
        assertThat(interrupted.path("status").asText()).as("the killed import after the restart").isEqualTo(ImportJob.FAILED);
        assertThat(interrupted.path("message").asText()).contains("import the same file again");
        long storedAtRestart;
        try (Connection c = child.connect()) {
            storedAtRestart = single(c, "select count(*) from receipt where source = '" + SOURCE + "'");
            System.out.printf("import crash test: %,d of %,d receipts committed before the kill%n", storedAtRestart,
                    expected.receipts);
            assertThat(storedAtRestart).as("receipts committed before the kill").isBetween(1L, expected.receipts - 1);
            consumersCaughtUp(c);
        }

        long again = upload(file);
        JsonNode rerun = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> job(again), j -> ImportJob.DONE.equals(j.path("status").asText())
                        || ImportJob.REJECTED.equals(j.path("status").asText())
                        || ImportJob.FAILED.equals(j.path("status").asText()));
        assertThat(rerun.path("status").asText()).as("re-import: %s", rerun).isEqualTo(ImportJob.DONE);
        JsonNode facts = rerun.path("facts");
        assertThat(facts.path("receiptsAlreadyThere").asLong()).isEqualTo(storedAtRestart);
        assertThat(facts.path("receiptsCreated").asLong()).isEqualTo(expected.receipts - storedAtRestart);

        try (Connection c = child.connect()) {
            assertThat(single(c, "select count(*) from receipt where source = '" + SOURCE + "'"))
                    .as("receipts").isEqualTo(expected.receipts);
            assertThat(single(c, "select count(distinct receipt_no) from receipt where source = '" + SOURCE + "'"))
                    .as("distinct receipt numbers").isEqualTo(expected.receipts);
            assertThat(single(c, "select count(*) from receipt_line l join receipt r on r.id = l.receipt_id where r.source = '"
                    + SOURCE + "'")).as("lines").isEqualTo(LINES);
            assertThat(single(c, "select sum(l.amount_cents) from receipt_line l join receipt r on r.id = l.receipt_id"
                    + " where r.source = '" + SOURCE + "'")).as("sum of line amounts in cents").isEqualTo(expected.cents);
            assertThat(single(c, "select count(*) from receipt where source = '" + SOURCE + "' and customer_id is not null"))
                    .as("receipts with a customer").isEqualTo(expected.withCustomer);
            assertThat(single(c, "select count(distinct customer_id) from receipt where source = '" + SOURCE + "'"))
                    .as("customers").isEqualTo(expected.phones.size());
            consumersCaughtUp(c);
            assertThat(single(c, "select sum(orders) from customer_stats cs where cs.customer_id in "
                    + "(select customer_id from receipt where source = '" + SOURCE + "')"))
                    .as("orders counted by customer-stats: each sale receipt once").isEqualTo(expected.withCustomer);
            assertThat(ordersDifferingFromReceipts(c)).as("customers whose counted orders differ from their receipts").isEmpty();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    // ---- the file and what it holds, counted here without the import code

    private static final class Expected {
        long receipts;
        long withCustomer;
        long cents;
        final Set<String> phones = new HashSet<>();
    }

    /** Sale receipts of 1–5 lines in the store; four in five name one of {@link #CUSTOMERS} phones. */
    private static Expected write(Path file) throws IOException {
        Random random = new Random(20261129);
        Expected e = new Expected();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("小票号,门店,消费时间,手机号,商品编码,数量,单价\n");
            int written = 0;
            while (written < LINES) {
                long n = e.receipts++;
                String phone = random.nextInt(5) == 0 ? "" : "139" + String.format("%08d", 40_000_000 + random.nextInt(CUSTOMERS));
                if (!phone.isEmpty()) {
                    e.withCustomer++;
                    e.phones.add(phone);
                }
                String time = "2024-%02d-%02d %02d:%02d".formatted(1 + (int) (n % 12), 1 + (int) (n % 28), 8 + (int) (n % 13),
                        (int) (n % 60));
                int lines = Math.min(1 + random.nextInt(5), LINES - written);
                int sku = random.nextInt(400); // the lines of a receipt name different products
                for (int l = 0; l < lines; l++) {
                    int quantity = 1 + random.nextInt(3);
                    int priceCents = 100 + random.nextInt(9_900);
                    e.cents += (long) quantity * priceCents;
                    out.write("CR-%d,%s,%s,%s,SKU-%d,%d,%d.%02d\n".formatted(n, STORE, time, phone, (sku + l) % 400,
                            quantity, priceCents / 100, priceCents % 100));
                }
                written += lines;
            }
        }
        return e;
    }

    // ---- the import API

    /** Starts an import of the file (multipart upload) under {@link #SOURCE}; returns the job id. */
    private long upload(Path file) throws IOException, InterruptedException {
        String boundary = "----crash" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] field : List.of(new String[] {"type", "receipts"}, new String[] {"source", SOURCE})) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                    + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(file));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = child.http().send(HttpRequest.newBuilder(child.uri("/api/v1/imports"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("upload: %s", response.body()).isEqualTo(202);
        return json.readTree(response.body()).path("id").asLong();
    }

    private JsonNode job(long id) throws IOException, InterruptedException {
        HttpResponse<String> response = child.http().send(HttpRequest.newBuilder(child.uri("/api/v1/imports/" + id))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("import %d: %s", id, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    // ---- the database

    /** Every feed consumer (customer-stats among them) reaches the end of the feed. */
    private static void consumersCaughtUp(Connection c) throws SQLException {
        assertThat(single(c, "select count(*) from feed_position where consumer = 'customer-stats'")).isEqualTo(1);
        // Liveness, not speed: on a loaded 2-core machine five consumers (stats, loyalty, coupons, …)
        // catching up on a whole import can take minutes.
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(single(c, """
                        select count(*) from feed_position p
                        where exists (select 1 from event_feed e where (e.tx_id, e.id) > (p.last_tx, p.last_id)
                                      -- no consumer reads the segments topic yet (journeys will): its events
                                      -- after a consumer's last one do not leave that consumer behind
                                      and e.topic <> 'segments')"""))
                        .as("consumers behind the end of the feed").isZero());
    }

    /** Customers of the file whose order count in customer_stats is not their number of receipts. */
    private static List<String> ordersDifferingFromReceipts(Connection c) throws SQLException {
        List<String> differing = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select r.customer_id, coalesce(max(cs.orders), 0), count(*)
                from receipt r left join customer_stats cs on cs.customer_id = r.customer_id
                where r.source = '%s' and r.customer_id is not null group by r.customer_id
                having coalesce(max(cs.orders), 0) <> count(*)""".formatted(SOURCE))) {
            while (rs.next()) {
                differing.add("customer " + rs.getLong(1) + ": " + rs.getLong(2) + " orders, " + rs.getLong(3) + " receipts");
            }
        }
        return differing;
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
