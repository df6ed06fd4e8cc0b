package app.regulars.catalog;

import app.regulars.platform.ApiProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The catalog in PostgreSQL, with stores cached in memory because every receipt asks for one. */
@Service
class JdbcCatalog implements Catalog {

    static final String SKU_COLUMNS = """
            s.id, s.code, s.name, c.code as category_code, s.brand, s.price_cents, s.consumable
            """;

    private final JdbcClient db;

    /** All stores by code; null until first asked. Chains have hundreds of stores, not millions. */
    private volatile Map<String, Store> storesByCode;

    JdbcCatalog(JdbcClient db) {
        this.db = db;
    }

    // ---- stores -------------------------------------------------------------------------------

    @Override
    public Optional<Store> storeByCode(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(storeCache().get(code));
    }

    @Override
    public Optional<Store> store(long id) {
        return storeCache().values().stream().filter(s -> s.id() == id).findFirst();
    }

    @Override
    public List<Store> stores() {
        return List.copyOf(storeCache().values());
    }

    private Map<String, Store> storeCache() {
        Map<String, Store> cached = storesByCode;
        if (cached == null) {
            Map<String, Store> loaded = new LinkedHashMap<>();
            db.sql("select id, code, name, region, city, timezone from store order by code")
                    .query((rs, n) -> new Store(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
                            rs.getString("region"), rs.getString("city"), ZoneId.of(rs.getString("timezone"))))
                    .list()
                    .forEach(s -> loaded.put(s.code(), s));
            cached = java.util.Collections.unmodifiableMap(loaded);
            // Never cache what an open transaction may still roll back.
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                storesByCode = cached;
            }
        }
        return cached;
    }

    /** Forgets the cached stores now and again once the writing transaction has ended. */
    void forgetStores() {
        storesByCode = null;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    storesByCode = null;
                }
            });
        }
    }

    // ---- SKUs ---------------------------------------------------------------------------------

    @Override
    public Optional<Sku> skuByCode(String code) {
        return db.sql("select " + SKU_COLUMNS + " from sku s left join category c on c.id = s.category_id where s.code = ?")
                .param(code).query(JdbcCatalog::sku).optional();
    }

    /**
     * Three statements at most whatever the batch size: find the known ones, insert the unknown ones
     * in one multi-row insert, then re-read those a concurrent intake inserted first.
     */
    @Override
    public Map<String, Sku> skusRegisteringUnknown(Map<String, String> namesByCode) {
        if (namesByCode.isEmpty()) {
            return Map.of();
        }
        namesByCode.keySet().forEach(code -> {
            if (code == null || code.isBlank()) {
                throw new IllegalArgumentException("SKU code must not be blank");
            }
        });
        Map<String, Sku> found = new HashMap<>(skusByCode(namesByCode.keySet()));
        if (found.size() == namesByCode.size()) {
            return found;
        }
        // Sorted so that concurrent batches take the unique-index locks in the same order.
        TreeMap<String, String> missing = new TreeMap<>();
        namesByCode.forEach((code, name) -> {
            if (!found.containsKey(code)) {
                missing.put(code, name == null || name.isBlank() ? code : name.strip());
            }
        });
        db.sql("""
                        insert into sku (code, name)
                        select code, name from unnest(?::text[], ?::text[]) as t(code, name) order by code
                        on conflict (code) do nothing
                        returning id, code, name, null as category_code, brand, price_cents, consumable
                        """)
                .params(missing.keySet().toArray(String[]::new), missing.values().toArray(String[]::new))
                .query(JdbcCatalog::sku).list()
                .forEach(s -> found.put(s.code(), s));
        if (found.size() < namesByCode.size()) {
            List<String> raced = missing.keySet().stream().filter(c -> !found.containsKey(c)).toList();
            found.putAll(skusByCode(raced));
        }
        return found;
    }

    private Map<String, Sku> skusByCode(Collection<String> codes) {
        Map<String, Sku> byCode = new HashMap<>();
        db.sql("select " + SKU_COLUMNS + " from sku s left join category c on c.id = s.category_id where s.code = any(?)")
                .param(codes.toArray(String[]::new))
                .query(JdbcCatalog::sku).list()
                .forEach(s -> byCode.put(s.code(), s));
        return byCode;
    }

    @Override
    @Transactional
    public int upsertProducts(Collection<ProductDraft> products) {
        return upsertProducts(products, "products");
    }

    /**
     * Validates every draft first (nothing saved when one is wrong), then writes them with one
     * statement. Fields left null keep their stored value; a later draft for the same code wins.
     *
     * @param path JSON path of the list for error fields ("products" → "products[2].priceCents"), or
     *             null when a single product was sent ("priceCents").
     */
    @Transactional
    int upsertProducts(Collection<ProductDraft> products, String path) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        Map<String, Long> categoryIds = categoryIds(products.stream()
                .map(ProductDraft::categoryCode).filter(c -> c != null && !c.isBlank()).toList());
        int i = 0;
        for (ProductDraft p : products) {
            String at = path == null ? "" : path + "[" + i + "].";
            if (p == null) {
                errors.add(new ApiProblem.FieldError(path == null ? "body" : path + "[" + i + "]", "missing"));
            } else {
                if (p.skuCode() == null || p.skuCode().isBlank()) {
                    errors.add(new ApiProblem.FieldError(at + "skuCode", "must not be blank"));
                }
                if (p.name() != null && p.name().isBlank()) {
                    errors.add(new ApiProblem.FieldError(at + "name", "must not be blank"));
                }
                if (p.priceCents() != null && p.priceCents() < 0) {
                    errors.add(new ApiProblem.FieldError(at + "priceCents", "must not be negative"));
                }
                if (p.categoryCode() != null && !p.categoryCode().isBlank() && !categoryIds.containsKey(p.categoryCode())) {
                    errors.add(new ApiProblem.FieldError(at + "categoryCode", "unknown category"));
                }
            }
            i++;
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        Map<String, ProductDraft> byCode = new TreeMap<>();
        products.forEach(p -> byCode.put(p.skuCode().strip(), p));
        if (byCode.isEmpty()) {
            return 0;
        }
        Map<String, Sku> stored = skusByCode(byCode.keySet());
        Map<String, Long> allCategoryIds = new HashMap<>(categoryIds);
        allCategoryIds.putAll(categoryIds(stored.values().stream().map(Sku::categoryCode)
                .filter(c -> c != null && !categoryIds.containsKey(c)).distinct().toList()));
        int n = byCode.size();
        String[] codes = new String[n], names = new String[n], brands = new String[n];
        Long[] categories = new Long[n], prices = new Long[n];
        Boolean[] consumables = new Boolean[n];
        int k = 0;
        for (var e : byCode.entrySet()) {
            ProductDraft p = e.getValue();
            Sku was = stored.get(e.getKey());
            codes[k] = e.getKey();
            names[k] = p.name() != null ? p.name().strip() : was != null ? was.name() : e.getKey();
            String categoryCode = p.categoryCode() != null ? p.categoryCode() : was != null ? was.categoryCode() : null;
            // A blank category code un-catalogues the item; null keeps what was stored.
            categories[k] = categoryCode == null || categoryCode.isBlank() ? null : allCategoryIds.get(categoryCode);
            brands[k] = p.brand() != null ? p.brand().strip() : was != null ? was.brand() : null;
            prices[k] = p.priceCents() != null ? p.priceCents() : was != null ? was.priceCents() : 0L;
            consumables[k] = p.consumable() != null ? p.consumable() : was == null || was.consumable();
            k++;
        }
        return db.sql("""
                        insert into sku (code, name, category_id, brand, price_cents, consumable)
                        select * from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::boolean[])
                        on conflict (code) do update set name = excluded.name, category_id = excluded.category_id,
                            brand = excluded.brand, price_cents = excluded.price_cents, consumable = excluded.consumable,
                            updated_at = now()
                        returning (xmax = 0) as inserted
                        """)
                .params(codes, names, categories, brands, prices, consumables)
                .query((rs, r) -> rs.getBoolean("inserted")).list()
                .stream().mapToInt(inserted -> inserted ? 1 : 0).sum();
    }

    private Map<String, Long> categoryIds(Collection<String> codes) {
        if (codes.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> ids = new HashMap<>();
        db.sql("select id, code from category where code = any(?)")
                .param(codes.toArray(String[]::new))
                .query((rs, n) -> Map.entry(rs.getString("code"), rs.getLong("id"))).list()
                .forEach(e -> ids.put(e.getKey(), e.getValue()));
        return ids;
    }

    static Sku sku(ResultSet rs, int row) throws SQLException {
        return new Sku(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("category_code"),
                rs.getString("brand"), rs.getLong("price_cents"), rs.getBoolean("consumable"));
    }
}
