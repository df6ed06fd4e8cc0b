package app.regulars.catalog;

import app.regulars.platform.ApiProblem;
import java.time.LocalDate;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog over HTTP for POS, ERP and head-office tools. Every POST is an upsert by code, so a
 * retry changes nothing; bad input is a 400 naming the field and saves nothing.
 */
@RestController
@RequestMapping("/api/v1")
class CatalogApi {

    /** Several products in one call; {@code created} counts the codes that were new. */
    record ProductBatch(List<ProductDraft> products) {}

    record BatchResult(int received, int created) {}

    private final JdbcCatalog catalog;
    private final HolidayCalendar holidays;

    CatalogApi(JdbcCatalog catalog, HolidayCalendar holidays) {
        this.catalog = catalog;
        this.holidays = holidays;
    }

    @GetMapping("/stores")
    List<StoreDetails> stores() {
        return catalog.storeDetails();
    }

    @GetMapping("/stores/{code}")
    StoreDetails store(@PathVariable String code) {
        return catalog.storeDetails(code).orElseThrow(() -> ApiProblem.notFound("store"));
    }

    @PostMapping("/stores")
    StoreDetails upsertStore(@RequestBody StoreDraft store) {
        return catalog.upsertStore(store);
    }

    @GetMapping("/stores/{code}/staff")
    List<Staff> staff(@PathVariable String code) {
        return catalog.staff(storeId(code));
    }

    @PostMapping("/stores/{code}/staff")
    Staff upsertStaff(@PathVariable String code, @RequestBody StaffDraft staff) {
        return catalog.upsertStaff(storeId(code), staff);
    }

    @GetMapping("/categories")
    List<Category> categories() {
        return catalog.categories();
    }

    @GetMapping("/categories/{code}")
    Category category(@PathVariable String code) {
        return catalog.category(code).orElseThrow(() -> ApiProblem.notFound("category"));
    }

    @PostMapping("/categories")
    Category upsertCategory(@RequestBody CategoryDraft category) {
        return catalog.upsertCategory(category);
    }

    @GetMapping("/products")
    ProductPage products(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page,
                         @RequestParam(defaultValue = "50") int size) {
        return catalog.products(q, page, size);
    }

    @GetMapping("/products/{code}")
    Sku product(@PathVariable String code) {
        return catalog.skuByCode(code).orElseThrow(() -> ApiProblem.notFound("product"));
    }

    @PostMapping("/products")
    Sku upsertProduct(@RequestBody ProductDraft product) {
        catalog.upsertProducts(java.util.Collections.singletonList(product), null);
        return catalog.skuByCode(product.skuCode().strip()).orElseThrow();
    }

    @PostMapping("/products/batch")
    BatchResult upsertProducts(@RequestBody ProductBatch batch) {
        if (batch.products() == null || batch.products().isEmpty()) {
            throw ApiProblem.badRequest("products", "must not be empty");
        }
        if (batch.products().size() > 10_000) {
            throw ApiProblem.badRequest("products", "at most 10000 per call");
        }
        return new BatchResult(batch.products().size(), catalog.upsertProducts(batch.products(), "products"));
    }

    @GetMapping("/holidays")
    List<Holiday> holidays(@RequestParam int year) {
        if (year < ChineseFestivals.FIRST_YEAR || year > ChineseFestivals.LAST_YEAR) {
            throw ApiProblem.badRequest("year", "must be between " + ChineseFestivals.FIRST_YEAR + " and "
                    + ChineseFestivals.LAST_YEAR);
        }
        return holidays.between(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
    }

    @PostMapping("/holidays")
    Holiday addHoliday(@RequestBody CustomHoliday holiday) {
        return holidays.addCustom(holiday);
    }

    private long storeId(String code) {
        return catalog.storeByCode(code).map(Store::id).orElseThrow(() -> ApiProblem.notFound("store"));
    }
}
