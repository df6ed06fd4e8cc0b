package app.regulars.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** Built-in segments show by their translated names wherever the console names a segment. */
class SegmentNamesPagesTest extends BrowserTest {

    @Autowired Segments segments;
    @Autowired Catalog catalog;
    @Autowired ObjectMapper json;
    @Autowired JdbcTemplate jdbc;

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")).setFullPage(true));
    }

    @Test
    void aBuiltInSegmentShowsByItsChineseNameOnThe360PageTheCustomerFilterAndTheList() throws Exception {
        String store = "SN-" + Long.toString(System.nanoTime(), 36);
        StoreFixtures.create(catalog, store);
        String phone = "139" + String.format("%08d", System.nanoTime() % 100_000_000L);
        String at = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1).truncatedTo(ChronoUnit.SECONDS).toString();
        ResponseEntity<String> receipt = apiPost("/api/v1/receipts", """
                {"source":"pos-%s","receiptNo":"R-1","storeCode":"%s","purchasedAt":"%s",
                 "customer":{"phone":"%s"},"lines":[{"sku":"SKU-1","quantity":1,"unitPrice":"59.00"}]}"""
                .formatted(store, store, at, phone));
        assertThat(receipt.getStatusCode().is2xxSuccessful()).as(receipt.getBody()).isTrue();
        long customer = json.readTree(receipt.getBody()).path("customerId").asLong();
        Segment fresh = segments.list().stream().filter(s -> "new".equals(s.builtin())).findFirst().orElseThrow();
        assertThat(fresh.labelKey()).as("the built-in keeps its built-in name").isEqualTo("builtin.new");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from segment_member where segment_id = ? and customer_id = ?", Long.class, fresh.id(),
                customer) == 1);

        signIn();
        page.navigate(url("/customers/" + customer));
        assertThat(page.locator(".segment-list")).containsText("新顾客");
        assertThat(page.locator(".segment-list").innerText()).doesNotContain(fresh.name());
        shot("customer-360-segments");

        page.navigate(url("/customers?segment=" + fresh.id()));
        assertThat(page.locator("#filter-segment option[value='" + fresh.id() + "']")).hasText("新顾客");
        assertThat(page.locator("#filter-segment option:checked")).hasText("新顾客");

        page.navigate(url("/segments"));
        assertThat(page.locator("tr[data-segment='" + fresh.name() + "'] a").first()).hasText("新顾客");

        // The builder's segment picker: the label to read, the name the rule uses.
        page.navigate(url("/segments/new"));
        page.selectOption("#kind-0", "segment");
        page.waitForFunction("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')");
        assertThat(page.locator("#name-0 option[value='" + fresh.name() + "']")).hasText("新顾客 · " + fresh.name());

        page.navigate(url("/customers/" + customer + "?lang=en"));
        assertThat(page.locator(".segment-list")).containsText("New customers");
    }
}
