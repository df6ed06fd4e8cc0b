package app.regulars.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What other modules may ask of the catalog. Implemented inside this package. Writes validate their
 * input and throw {@link app.regulars.platform.ApiProblem} naming the field, saving nothing.
 */
public interface Catalog {

    Optional<Store> storeByCode(String code);

    Optional<Store> store(long id);

    /** Every store, closed ones included (their receipts still arrive late), by code. */
    List<Store> stores();

    Optional<Sku> skuByCode(String code);

    /**
     * Finds SKUs by code, registering the unknown ones as uncatalogued items (name from the receipt
     * line when given, no category) so that a POS that sells before HQ catalogues is never refused.
     * Runs in the caller's transaction, in at most three statements whatever the batch size. Call it
     * once per transaction with all the codes of the batch: new codes are inserted in sorted order,
     * so concurrent batches cannot deadlock on them, which two calls in one transaction could.
     */
    Map<String, Sku> skusRegisteringUnknown(Map<String, String> namesByCode);

    /**
     * Upserts products by SKU code in one transaction; returns how many were new. A null field keeps
     * the stored value; a blank {@code categoryCode} or {@code brand} clears it. Nothing is saved when
     * one product is wrong (unknown category, negative price, blank code): the error names
     * {@code products[i].field}.
     */
    int upsertProducts(Collection<ProductDraft> products);

    /** Products whose code or name contains {@code search} (all when blank), by code. */
    ProductPage products(String search, int page, int size);

    // ---- stores and staff

    /** Every store with its opening date and status, by code. */
    List<StoreDetails> storeDetails();

    Optional<StoreDetails> storeDetails(String code);

    StoreDetails upsertStore(StoreDraft store);

    List<Staff> staff(long storeId);

    Optional<Staff> staff(long storeId, String code);

    Staff upsertStaff(long storeId, StaffDraft staff);

    // ---- categories

    /** The whole tree, depth first (parents before their children), with effective cycles. */
    List<Category> categories();

    /** Reads the whole (small) tree to work out inherited cycles: fine per request, not per row. */
    Optional<Category> category(String code);

    /** Refuses an unknown parent or a parent that would make the category its own ancestor. */
    Category upsertCategory(CategoryDraft category);
}
