package app.regulars.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

class CatalogApiTest extends IntegrationTest {

    @Autowired ObjectMapper json;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    JsonNode body(ResponseEntity<String> response) throws Exception {
        return json.readTree(response.getBody());
    }

    /** Asserts a 400 whose errors name exactly these fields. */
    void assertRejected(ResponseEntity<String> response, String... fields) throws Exception {
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body(response).path("errors").findValuesAsText("field")).containsExactlyInAnyOrder(fields);
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void aStoreIsUpsertedByCodeAndARetryChangesNothing() throws Exception {
        Map<String, Object> store = map("code", "SH-" + run, "name", "静安店", "region", "华东", "city", "上海",
                "timezone", "Asia/Shanghai", "openedOn", "2019-05-01");
        JsonNode first = body(apiPost("/api/v1/stores", store));
        JsonNode again = body(apiPost("/api/v1/stores", store));

        assertThat(again).isEqualTo(first);
        assertThat(first.path("timezone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(first.path("active").asBoolean()).isTrue();
        assertThat(apiGet("/api/v1/stores").getBody()).contains("SH-" + run);
    }

    @Test
    void anUnknownTimezoneAndABlankCodeAreRejectedByField() throws Exception {
        assertRejected(apiPost("/api/v1/stores", map("code", " ", "name", "x", "timezone", "Mars/Olympus")),
                "code", "timezone");
        assertThat(apiGet("/api/v1/stores").getBody()).doesNotContain("Mars/Olympus");
    }

    @Test
    void aNegativePriceInABatchIsRejectedWithItsPathAndNothingIsSaved() throws Exception {
        List<Map<String, Object>> products = List.of(
                map("skuCode", "OK-" + run, "name", "Serum", "priceCents", 19900),
                map("skuCode", "NEG-" + run, "name", "Mask", "priceCents", -1));

        assertRejected(apiPost("/api/v1/products/batch", map("products", products)), "products[1].priceCents");
        assertThat(apiGet("/api/v1/products/OK-" + run).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aBatchOfProductsCountsTheNewOnes() throws Exception {
        apiPost("/api/v1/categories", map("code", "skin-" + run, "name", "护肤", "repurchaseCycleDays", 45));
        List<Map<String, Object>> products = List.of(
                map("skuCode", "A-" + run, "name", "Serum", "categoryCode", "skin-" + run, "priceCents", 19900),
                map("skuCode", "B-" + run, "name", "Mask", "priceCents", 5900, "consumable", true));

        JsonNode first = body(apiPost("/api/v1/products/batch", map("products", products)));
        JsonNode again = body(apiPost("/api/v1/products/batch", map("products", products)));

        assertThat(first.path("created").asInt()).isEqualTo(2);
        assertThat(again.path("created").asInt()).isZero();
        JsonNode page = body(apiGet("/api/v1/products?q=a-" + run));
        assertThat(page.path("total").asInt()).isEqualTo(1);
        assertThat(page.path("items").get(0).path("categoryCode").asText()).isEqualTo("skin-" + run);
    }

    @Test
    void aProductInAnUnknownCategoryIsRejected() throws Exception {
        assertRejected(apiPost("/api/v1/products", map("skuCode", "C-" + run, "name", "Sofa", "categoryCode", "nope-" + run)),
                "categoryCode");
    }

    @Test
    void aCategoryInheritsItsParentsCycleUnlessItSetsItsOwn() throws Exception {
        apiPost("/api/v1/categories", map("code", "care-" + run, "name", "护肤", "repurchaseCycleDays", 45));
        JsonNode serum = body(apiPost("/api/v1/categories", map("code", "serum-" + run, "name", "精华", "parentCode", "care-" + run)));
        JsonNode mask = body(apiPost("/api/v1/categories",
                map("code", "mask-" + run, "name", "面膜", "parentCode", "care-" + run, "repurchaseCycleDays", 30)));

        assertThat(serum.path("repurchaseCycleDays").isNull()).isTrue();
        assertThat(serum.path("effectiveRepurchaseCycleDays").asInt()).isEqualTo(45);
        assertThat(mask.path("effectiveRepurchaseCycleDays").asInt()).isEqualTo(30);
        assertThat(serum.path("depth").asInt()).isEqualTo(1);
    }

    @Test
    void aCategoryCannotBecomeItsOwnAncestorOrHangUnderAnUnknownParent() throws Exception {
        apiPost("/api/v1/categories", map("code", "home-" + run, "name", "家居"));
        apiPost("/api/v1/categories", map("code", "sofa-" + run, "name", "沙发", "parentCode", "home-" + run, "careCycleDays", 180));

        assertRejected(apiPost("/api/v1/categories", map("code", "home-" + run, "name", "家居", "parentCode", "sofa-" + run)),
                "parentCode");
        assertRejected(apiPost("/api/v1/categories", map("code", "home-" + run, "name", "家居", "parentCode", "home-" + run)),
                "parentCode");
        assertRejected(apiPost("/api/v1/categories", map("code", "x-" + run, "name", "x", "parentCode", "ghost-" + run)),
                "parentCode");
        assertRejected(apiPost("/api/v1/categories", map("code", "y-" + run, "name", "y", "careCycleDays", 0)),
                "careCycleDays");
    }

    @Test
    void staffAreUpsertedPerStoreAndAnUnknownRoleIsRejected() throws Exception {
        apiPost("/api/v1/stores", map("code", "BJ-" + run, "name", "三里屯店"));
        JsonNode li = body(apiPost("/api/v1/stores/BJ-" + run + "/staff", map("code", "007", "name", "李娜", "role", "advisor")));
        body(apiPost("/api/v1/stores/BJ-" + run + "/staff", map("code", "007", "name", "李娜", "role", "manager")));

        assertThat(li.path("role").asText()).isEqualTo("advisor");
        JsonNode staff = body(apiGet("/api/v1/stores/BJ-" + run + "/staff"));
        assertThat(staff).hasSize(1);
        assertThat(staff.get(0).path("role").asText()).isEqualTo("manager");
        assertRejected(apiPost("/api/v1/stores/BJ-" + run + "/staff", map("code", "008", "name", "王", "role", "boss")), "role");
        assertThat(apiPost("/api/v1/stores/NONE-" + run + "/staff", map("code", "1", "name", "x")).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void unknownFieldsAndWrongTypesNameTheField() throws Exception {
        assertRejected(apiPost("/api/v1/stores", map("code", "Z-" + run, "name", "x", "colour", "red")), "colour");
        assertRejected(apiPost("/api/v1/products/batch", map("products", List.of(map("skuCode", "Q", "priceCents", "cheap")))),
                "products[0].priceCents");
    }

    @Test
    void holidaysOfAYearIncludeTheLunarFestivalsAndCustomOnes() throws Exception {
        JsonNode added = body(apiPost("/api/v1/holidays", map("code", "anniv-" + run, "nameZh", "店庆", "nameEn", "Anniversary",
                "date", "2044-08-08", "windowBefore", 3, "windowAfter", 1)));
        JsonNode year = body(apiGet("/api/v1/holidays?year=2026"));
        JsonNode later = body(apiGet("/api/v1/holidays?year=2044"));

        assertThat(added.path("kind").asText()).isEqualTo("custom");
        assertThat(year.findValuesAsText("code")).contains("spring-festival", "mid-autumn", "double-11");
        assertThat(later.findValuesAsText("code")).contains("spring-festival", "anniv-" + run);
        JsonNode spring = json.readTree(year.toString()).findParents("code").stream()
                .filter(h -> h.path("code").asText().equals("spring-festival")).findFirst().orElseThrow();
        assertThat(spring.path("date").asText()).isEqualTo("2026-02-17");
        assertThat(spring.path("kind").asText()).isEqualTo("lunar");
        assertRejected(apiPost("/api/v1/holidays", map("code", "spring-festival", "nameZh", "春节", "date", "2026-02-18",
                "windowBefore", -1)), "code", "windowBefore");
        assertRejected(apiGet("/api/v1/holidays?year=1200"), "year");
    }
}
