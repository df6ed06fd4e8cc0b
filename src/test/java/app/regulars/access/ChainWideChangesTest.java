package app.regulars.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * What belongs to the whole chain is changed by owner and HQ only, through every door: a till's key
 * and a store's clerk are refused, and the clerk's console does not offer the forms.
 */
class ChainWideChangesTest extends BrowserTest {

    @Autowired ApiKeys apiKeys;
    @Autowired Users users;
    @Autowired Catalog catalog;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;

    private Store ours;
    private Store theirs;
    private String storeKey;
    private String code;

    @BeforeEach
    void twoStoresAndAKeyForOne() {
        code = "cw" + Long.toString(System.nanoTime(), 36);
        ours = StoreFixtures.create(catalog, code + "-A");
        theirs = StoreFixtures.create(catalog, code + "-B");
        storeKey = apiKeys.issue("till of " + ours.code(), Set.of(ours.id()));
    }

    @Test
    void aStoresKeyChangesNothingThatBelongsToTheWholeChain() {
        String settings = rest.exchange("/api/v1/loyalty/settings", HttpMethod.GET, entity(apiKey(), null), String.class)
                .getBody();
        Map<String, Object> refused = Map.of(
                "/api/v1/stores", Map.of("code", code + "-C", "name", "新店", "timezone", "Asia/Shanghai"),
                "/api/v1/categories", Map.of("code", code, "name", "护肤"),
                "/api/v1/products", Map.of("skuCode", code, "name", "面霜", "priceCents", 9900),
                "/api/v1/products/batch", Map.of("products", List.of(Map.of("skuCode", code, "name", "面霜"))),
                "/api/v1/holidays", Map.of("code", code, "nameZh", "店庆", "date", "2026-12-12"),
                "/api/v1/custom-fields", Map.of("key", code.replace('-', '_'), "labelZh", "肤质", "type", "text"),
                "/api/v1/stores/" + theirs.code() + "/staff", Map.of("code", "S1", "name", "王芳"));
        refused.forEach((path, body) -> assertThat(status(storeKey, HttpMethod.POST, path, body)).as(path).isEqualTo(403));
        assertThat(status(storeKey, HttpMethod.PUT, "/api/v1/loyalty/settings", settings)).isEqualTo(403);

        assertThat(jdbc.queryForObject("select count(*) from store where code = ?", Long.class, code + "-C")).isZero();
        assertThat(jdbc.queryForObject("select count(*) from sku where code = ?", Long.class, code)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from staff where store_id = ?", Long.class, theirs.id())).isZero();

        // Nor through a file: the import runs as the application, so who started it is asked first.
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("file", new ByteArrayResource(("sku,name\n" + code + ",面霜\n").getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "products.csv";
            }
        });
        form.add("type", "products");
        HttpHeaders multipart = new HttpHeaders();
        multipart.setBearerAuth(storeKey);
        multipart.setContentType(MediaType.MULTIPART_FORM_DATA);
        var imported = rest.exchange("/api/v1/imports", HttpMethod.POST, new HttpEntity<>(form, multipart), String.class);
        assertThat(imported.getStatusCode().value()).isEqualTo(403);
        assertThat(imported.getBody()).contains("importing them needs access to all stores");

        // Its own store's staff it does keep.
        assertThat(status(storeKey, HttpMethod.POST, "/api/v1/stores/" + ours.code() + "/staff",
                Map.of("code", "S1", "name", "王芳"))).isEqualTo(200);
        // And the chain's key still changes what it did.
        assertThat(status(apiKey(), HttpMethod.PUT, "/api/v1/loyalty/settings", settings)).isEqualTo(200);
    }

    @Test
    void aStoresKeyRegisteringAnotherStoresCustomerLearnsTheirIdButNotTheirProfile() throws Exception {
        String phone = "139" + String.format("%08d", System.nanoTime() % 100_000_000L);
        var theirsBody = rest.exchange("/api/v1/customers", HttpMethod.POST, entity(apiKey(), Map.of("phone", phone,
                "name", "林晓雨", "birthday", "1990-05-20", "registrationStoreId", theirs.id(), "homeStoreId", theirs.id())),
                String.class);
        assertThat(theirsBody.getStatusCode().value()).isEqualTo(201);

        var again = rest.exchange("/api/v1/customers", HttpMethod.POST, entity(storeKey, Map.of("phone", phone,
                "name", "另一个名字", "birthday", "1991-01-01", "registrationStoreId", ours.id())), String.class);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getBody()).doesNotContain("林晓雨").doesNotContain("0520").doesNotContain("05-20").contains("\"phoneMasked\":\"139****");
        // Nor does it change them: PATCH would answer 404, and the upsert is no way round it.
        String id = again.getBody().replaceAll("(?s).*\"id\":(\\d+).*", "$1");
        assertThat(rest.exchange("/api/v1/customers/" + id, HttpMethod.GET, entity(apiKey(), null), String.class).getBody())
                .contains("林晓雨").contains("\"birthMmdd\":\"0520\"");

        var fresh = rest.exchange("/api/v1/customers", HttpMethod.POST, entity(storeKey, Map.of("phone", "158" + phone.substring(3),
                "name", "王芳", "registrationStoreId", ours.id())), String.class);
        assertThat(fresh.getStatusCode().value()).isEqualTo(201);
        assertThat(fresh.getBody()).contains("王芳");
    }

    @Test
    void aStoresCustomerFileRegistersItsNewCustomersButLeavesAnotherStoresCustomerAsTheyWere() throws Exception {
        String phone = "137" + String.format("%08d", System.nanoTime() % 100_000_000L);
        String newcomer = "158" + phone.substring(3);
        long theirsId = json.readTree(rest.exchange("/api/v1/customers", HttpMethod.POST, entity(apiKey(), Map.of(
                "phone", phone, "name", "林晓雨", "registrationStoreId", theirs.id(), "homeStoreId", theirs.id())),
                String.class).getBody()).get("id").asLong();

        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("file", new ByteArrayResource(("手机号,姓名\n" + phone + ",另一个名字\n" + newcomer + ",王芳\n")
                .getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "members.csv";
            }
        });
        form.add("type", "customers");
        form.add("store", ours.code());
        HttpHeaders multipart = new HttpHeaders();
        multipart.setBearerAuth(storeKey);
        multipart.setContentType(MediaType.MULTIPART_FORM_DATA);
        var started = rest.exchange("/api/v1/imports", HttpMethod.POST, new HttpEntity<>(form, multipart), String.class);
        assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(202);
        long job = json.readTree(started.getBody()).get("id").asLong();
        JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(rest.exchange(
                "/api/v1/imports/" + job, HttpMethod.GET, entity(storeKey, null), String.class).getBody()),
                j -> j.hasNonNull("finishedAt"));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("done");

        String theirsNow = rest.exchange("/api/v1/customers/" + theirsId, HttpMethod.GET, entity(apiKey(), null),
                String.class).getBody();
        assertThat(theirsNow).contains("林晓雨").doesNotContain("另一个名字");
        assertThat(rest.exchange("/api/v1/customers?phone=" + newcomer, HttpMethod.GET, entity(storeKey, null),
                String.class).getBody()).contains("王芳");
    }

    @Test
    void aClerksConsoleOffersNoChainWideFormAndRefusesTheirPosts() {
        String clerk = "clerk-" + code;
        users.create(clerk, "long-enough-pw", Role.CLERK, Set.of(ours.id()));
        signIn(clerk, "long-enough-pw");

        page.navigate(url("/stores?code=" + ours.code()));
        assertThat(page.locator("#store-form")).hasCount(0);
        assertThat(page.locator("#staff-form")).isVisible(); // the clerk's own store
        shot("stores-clerk");
        page.navigate(url("/stores?code=" + theirs.code()));
        assertThat(page.locator("#staff-form")).hasCount(0);
        page.navigate(url("/products"));
        assertThat(page.locator("#product-form")).hasCount(0);
        assertThat(page.locator("#category-form")).hasCount(0);
        shot("products-clerk");
        page.navigate(url("/holidays"));
        assertThat(page.locator("#holiday-form")).hasCount(0);
        page.navigate(url("/custom-fields"));
        assertThat(page.locator("form.custom-field-form")).hasCount(0);

        for (String post : List.of("/stores?code=" + code + "-D&name=x&timezone=Asia/Shanghai",
                "/stores/" + theirs.code() + "/staff?code=S2&name=x", "/products?skuCode=" + code + "&name=x",
                "/products/categories?code=" + code + "&name=x", "/holidays?code=" + code + "&nameZh=x&date=2026-12-12",
                "/custom-fields?key=cw_x&labelZh=x&type=text", "/loyalty/settings")) {
            Object status = page.evaluate("path => fetch(path, {method: 'POST', headers: {[document.querySelector("
                    + "'meta[name=_csrf_header]').content]: document.querySelector('meta[name=_csrf]').content}})"
                    + ".then(r => r.status)", post);
            assertThat(status).as(post).isEqualTo(403);
        }
        assertThat(jdbc.queryForObject("select count(*) from store where code = ?", Long.class, code + "-D")).isZero();
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")).setFullPage(true));
    }

    private int status(String key, HttpMethod method, String path, Object body) {
        return rest.exchange(path, method, entity(key, body), String.class).getStatusCode().value();
    }

    private static HttpEntity<Object> entity(String key, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return new HttpEntity<>(body, headers);
    }
}
