package app.regulars.catalog;

import org.springframework.jdbc.core.JdbcTemplate;

/** Stores for tests of other modules, visible to the catalog's store cache at once. */
public final class StoreFixtures {

    private StoreFixtures() {}

    public static Store create(JdbcTemplate jdbc, Catalog catalog, String code) {
        jdbc.update("insert into store (code, name, region, city) values (?, ?, 'East', 'Shanghai') on conflict do nothing",
                code, "Store " + code);
        if (catalog instanceof JdbcCatalog c) {
            c.forgetStores();
        }
        return catalog.storeByCode(code).orElseThrow();
    }
}
