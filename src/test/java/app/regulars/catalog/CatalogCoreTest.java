package app.regulars.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.IntegrationTest;
import app.regulars.platform.ApiProblem;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class CatalogCoreTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired JdbcClient db;
    @Autowired org.springframework.transaction.support.TransactionTemplate tx;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void unknownSkusOnAReceiptAreRegisteredOnceAsUncataloguedItems() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("K-" + run + "-1", "Lipstick 03");
        lines.put("K-" + run + "-2", null);

        Map<String, Sku> first = catalog.skusRegisteringUnknown(lines);
        Map<String, Sku> again = catalog.skusRegisteringUnknown(lines);

        assertThat(first).hasSize(2);
        assertThat(first.get("K-" + run + "-1").name()).isEqualTo("Lipstick 03");
        assertThat(first.get("K-" + run + "-2").name()).isEqualTo("K-" + run + "-2");
        assertThat(first.get("K-" + run + "-1").categoryCode()).isNull();
        assertThat(again).isEqualTo(first);
        assertThat(catalog.skuByCode("K-" + run + "-1")).contains(first.get("K-" + run + "-1"));
    }

    @Test
    void upsertingProductsCountsOnlyNewOnesAndKeepsFieldsLeftOut() {
        String code = "P-" + run;
        int created = catalog.upsertProducts(List.of(new ProductDraft(code, "Toner", null, "Acme", 12_900L, true)));
        int updated = catalog.upsertProducts(List.of(new ProductDraft(code, null, null, null, 9_900L, null),
                new ProductDraft(code + "-b", "Cream", null, null, null, false)));

        assertThat(created).isEqualTo(1);
        assertThat(updated).isEqualTo(1);
        assertThat(catalog.skuByCode(code)).get()
                .returns("Toner", Sku::name).returns("Acme", Sku::brand).returns(9_900L, Sku::priceCents)
                .returns(true, Sku::consumable);
        assertThat(catalog.skuByCode(code + "-b")).get().returns(false, Sku::consumable).returns(0L, Sku::priceCents);
    }

    @Test
    void aBatchWithOneBadProductSavesNothingAndNamesTheField() {
        String code = "BAD-" + run;
        assertThatThrownBy(() -> catalog.upsertProducts(List.of(new ProductDraft(code, "ok", null, null, 1L, null),
                new ProductDraft(code + "-2", "bad", null, null, -5L, null))))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.errors())
                        .extracting(ApiProblem.FieldError::field).containsExactly("products[1].priceCents"));
        assertThat(catalog.skuByCode(code)).isEmpty();
    }

    @Test
    void storesAreFoundByCodeAndId() {
        String code = "S-" + run;
        db.sql("insert into store (code, name, region, city) values (?, 'Jing An', 'East', 'Shanghai')").param(code).update();
        // Written behind the catalog's back (as an import in another process would): still found.

        Store store = catalog.storeByCode(code).orElseThrow();
        assertThat(store.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(catalog.store(store.id())).contains(store);
        assertThat(catalog.stores()).contains(store);
        assertThat(catalog.storeByCode("nope-" + run)).isEmpty();
    }

    @Test
    void concurrentReceiptsWithTheSameNewSkusAgreeOnOneRowEach() throws Exception {
        Map<String, String> lines = new java.util.TreeMap<>();
        for (int i = 0; i < 50; i++) {
            lines.put("RACE-" + run + "-" + i, "item " + i);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Map<String, Sku>>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tx.execute(s -> catalog.skusRegisteringUnknown(lines));
                }));
            }
            start.countDown();
            Map<String, Sku> first = results.getFirst().get();
            assertThat(first).hasSize(50);
            for (var r : results) {
                assertThat(r.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(db.sql("select count(*) from sku where code like ?").param("RACE-" + run + "-%")
                .query(Long.class).single()).isEqualTo(50);
    }

    /** Not a benchmark: prints what one receipt-sized call costs so a regression to per-line queries shows. */
    @Test
    void registeringSkusForAReceiptTakesAFewStatementsNotOnePerLine() {
        catalog.skusRegisteringUnknown(Map.of("WARM-" + run, "warm"));
        int receipts = 500;
        long started = System.nanoTime();
        for (int r = 0; r < receipts; r++) {
            Map<String, String> receipt = new java.util.HashMap<>();
            for (int l = 0; l < 4; l++) {
                // Half the lines are items seen before, half new.
                receipt.put("SPD-" + run + "-" + (l % 2 == 0 ? l : r * 10 + l), "line " + l);
            }
            assertThat(catalog.skusRegisteringUnknown(receipt)).hasSize(4);
        }
        double micros = (System.nanoTime() - started) / 1_000.0 / receipts;
        org.slf4j.LoggerFactory.getLogger(getClass()).info("skusRegisteringUnknown: {} µs per 4-line receipt", Math.round(micros));
        long knownStarted = System.nanoTime();
        for (int r = 0; r < receipts; r++) {
            assertThat(catalog.skusRegisteringUnknown(Map.of("SPD-" + run + "-0", "a", "SPD-" + run + "-2", "b"))).hasSize(2);
        }
        org.slf4j.LoggerFactory.getLogger(getClass()).info("skusRegisteringUnknown: {} µs per receipt of known items",
                Math.round((System.nanoTime() - knownStarted) / 1_000.0 / receipts));
        Map<String, String> batch = new java.util.HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            batch.put("BATCH-" + run + "-" + i, "batch item");
        }
        long batchStarted = System.nanoTime();
        assertThat(catalog.skusRegisteringUnknown(batch)).hasSize(2_000);
        org.slf4j.LoggerFactory.getLogger(getClass()).info("skusRegisteringUnknown: {} ms for 2000 new codes in one call",
                (System.nanoTime() - batchStarted) / 1_000_000);
    }

    @Test
    void aRenamedStoreIsSeenAtOnceAndARolledBackOneNever() {
        String code = "R-" + run;
        catalog.upsertStore(new StoreDraft(code, "Old name", null, null, null, null, null));
        assertThat(catalog.storeByCode(code)).get().extracting(Store::name).isEqualTo("Old name");
        catalog.upsertStore(new StoreDraft(code, "New name", null, null, "Asia/Hong_Kong", null, null));
        assertThat(catalog.storeByCode(code)).get().returns("New name", Store::name)
                .returns(ZoneId.of("Asia/Hong_Kong"), Store::timezone);

        tx.executeWithoutResult(status -> {
            catalog.upsertStore(new StoreDraft(code + "-tmp", "Temporary", null, null, null, null, null));
            assertThat(catalog.storeByCode(code + "-tmp")).isPresent();
            status.setRollbackOnly();
        });
        assertThat(catalog.stores()).extracting(Store::code).doesNotContain(code + "-tmp");
        assertThat(catalog.storeByCode(code + "-tmp")).isEmpty();
    }
}
