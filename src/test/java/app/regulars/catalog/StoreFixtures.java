package app.regulars.catalog;

/** Stores for tests of other modules. */
public final class StoreFixtures {

    private StoreFixtures() {}

    public static Store create(Catalog catalog, String code) {
        catalog.upsertStore(new StoreDraft(code, "Store " + code, "East", "Shanghai", null, null, null));
        return catalog.storeByCode(code).orElseThrow();
    }
}
