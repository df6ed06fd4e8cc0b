package app.regulars.imports;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A store for an import test, made through the catalog. */
final class TestStores {

    private TestStores() {}

    static String ensure(JdbcClient db, Catalog catalog, String code) {
        if (catalog.storeByCode(code).isEmpty()) {
            StoreFixtures.create(catalog, code);
        }
        return code;
    }
}
