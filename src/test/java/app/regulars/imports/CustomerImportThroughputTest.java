package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A member base of new customers with full profiles through the normal import path: prints rows/s
 * (thousands with the bulk path, ~300 with the old one-by-one path) and asserts only that every row
 * arrived — timings are no pass/fail threshold on a shared 2-core machine. Tagged bench: run it with
 * {@code ./regulars test -Dsurefire.excludedGroups= -Dgroups=bench}.
 */
@Tag("bench")
class CustomerImportThroughputTest extends IntegrationTest {

    private static final int ROWS = 20_000;

    @Autowired Imports imports;
    @Autowired CustomFields customFields;
    @Autowired Catalog catalog;
    @Autowired JdbcClient db;

    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @Test
    void twentyThousandNewCustomersAllArriveThroughTheBulkPath() throws IOException {
        String key = "tier_" + run;
        customFields.define(new CustomField(key, "等级" + run, "Tier " + run, CustomField.Type.choice,
                List.of("银卡", "金卡"), false, true));
        String store = TestStores.ensure(db, catalog, "T-" + run);
        Random random = new Random(run.hashCode());
        Set<String> phones = new HashSet<>();
        // A small import first, so the measured one runs on a warmed-up JVM as a long import would.
        run(members(random, phones, 2_000, run), TestStores.ensure(db, catalog, "W-" + run));
        Path file = members(random, phones, ROWS, run);
        long start = System.nanoTime();
        ImportJob job = run(file, store);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("customer import: %d rows in %.1f s = %.0f rows/s; facts %s%n", ROWS, seconds, ROWS / seconds,
                job.facts());
        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(job.appliedCount()).isEqualTo(ROWS);
        assertThat(db.sql("select count(*) from customer where registration_store_id = ?")
                .param(catalog.storeByCode(store).orElseThrow().id()).query(Long.class).single()).isEqualTo(ROWS);
    }

    private ImportJob run(Path file, String store) {
        return imports.run(new ImportRequest(file, "members.csv", null, null, null, null,
                ImportOptions.defaults().withStore(store), "test"), (s, t, p, a, e, pc) -> { });
    }

    /** New members with phone, name, gender, birthday, city and the custom tier. */
    private static Path members(Random random, Set<String> phones, int rows, String run) throws IOException {
        String[] cities = {"上海", "杭州", "南京", "苏州"};
        Path file = Files.createTempDirectory("imports").resolve("members.csv");
        int target = phones.size() + rows;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("手机号,姓名,性别,生日,城市,等级" + run + "\n");
            while (phones.size() < target) {
                String phone = "147" + String.format("%08d", random.nextInt(100_000_000));
                if (phones.add(phone)) {
                    out.write("%s,顾客%d,%s,%d-%02d-%02d,%s,%s%n".formatted(phone, phones.size(),
                            random.nextBoolean() ? "女" : "男", 1950 + random.nextInt(55), 1 + random.nextInt(12),
                            1 + random.nextInt(28), cities[random.nextInt(cities.length)],
                            random.nextBoolean() ? "银卡" : "金卡"));
                }
            }
        }
        return file;
    }
}
