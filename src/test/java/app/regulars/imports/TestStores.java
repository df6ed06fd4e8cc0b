package app.regulars.imports;

import app.regulars.catalog.Catalog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.util.AopTestUtils;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Creates a store for a test. The catalog has no public API to create stores yet, so this writes
 * the row and makes the catalog forget its cached stores (test-only; replace with the catalog's
 * store API once it has one).
 */
final class TestStores {

    private TestStores() {}

    static String ensure(JdbcClient db, Catalog catalog, String code) {
        db.sql("insert into store (code, name, timezone) values (?, ?, 'Asia/Shanghai') on conflict (code) do nothing")
                .params(code, "Test " + code).update();
        if (catalog.storeByCode(code).isEmpty()) {
            Object target = AopTestUtils.getUltimateTargetObject(catalog);
            ReflectionTestUtils.setField(target, "storesByCode", null);
        }
        return code;
    }
}
