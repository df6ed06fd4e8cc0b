package app.regulars.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What other modules may ask of the catalog. Implemented inside this package. */
public interface Catalog {

    Optional<Store> storeByCode(String code);

    Optional<Store> store(long id);

    List<Store> stores();

    Optional<Sku> skuByCode(String code);

    /**
     * Finds SKUs by code, registering the unknown ones as uncatalogued items (name from the receipt
     * line when given, no category) so that a POS that sells before HQ catalogues is never refused.
     * Runs in the caller's transaction.
     */
    Map<String, Sku> skusRegisteringUnknown(Map<String, String> namesByCode);

    /** Upserts products by SKU code in one transaction; returns how many were new. */
    int upsertProducts(Collection<ProductDraft> products);
}
