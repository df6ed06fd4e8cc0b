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
        ((JdbcCatalog) catalog).forgetStores();

        Store store = catalog.storeByCode(code).orElseThrow();
        assertThat(store.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(catalog.store(store.id())).contains(store);
        assertThat(catalog.stores()).contains(store);
        assertThat(catalog.storeByCode("nope-" + run)).isEmpty();
    }
}
