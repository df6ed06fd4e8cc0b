package app.regulars.catalog;

import app.regulars.access.Callers;
import app.regulars.platform.ApiProblem;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The catalog in PostgreSQL, with stores cached in memory because every receipt asks for one. */
@Service
class JdbcCatalog implements Catalog {

    static final String SKU_COLUMNS = """
            s.id, s.code, s.name, c.code as category_code, s.brand, s.price_cents, s.consumable
            """;

    /** Receipts carry the POS's own item codes, sometimes long barcodes with suffixes. */
    static final int MAX_SKU_CODE = 128;

    private final JdbcClient db;

    private final StoreCache stores;
    private final SkuCache skus = new SkuCache();

    JdbcCatalog(JdbcClient db) {
        this.db = db;
        this.stores = new StoreCache(db);
    }

    // ---- stores -------------------------------------------------------------------------------

    @Override
    public Optional<Store> storeByCode(String code) {
        return code == null ? Optional.empty() : stores.byCode(code);
    }

    @Override
    public Optional<Store> store(long id) {
        return stores.byId(id);
    }

    @Override
    public List<Store> stores() {
        return stores.all();
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
        Map<String, Sku> found = new HashMap<>(skus.get(namesByCode.keySet(), this::skusByCode));
        if (found.size() == namesByCode.size()) {
            return found;
        }
        skus.forget();
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
        Callers.requireAllStores("changing products");
        skus.forget();
        InputErrors errors = new InputErrors();
        Map<String, Long> categoryIds = categoryIds(products.stream()
                .filter(p -> p != null && p.categoryCode() != null && !p.categoryCode().isBlank())
                .map(p -> p.categoryCode().strip()).distinct().toList());
        int i = 0;
        for (ProductDraft p : products) {
            String at = path == null ? "" : path + "[" + i + "].";
            if (p == null) {
                errors.add(path == null ? "body" : path + "[" + i + "]", "missing");
            } else {
                if (p.skuCode() == null || p.skuCode().isBlank()) {
                    errors.add(at + "skuCode", "must not be blank");
                } else if (p.skuCode().strip().length() > MAX_SKU_CODE) {
                    errors.add(at + "skuCode", "too long");
                }
                if (p.name() != null) {
                    errors.name(at + "name", p.name());
                }
                errors.optionalText(at + "brand", p.brand());
                if (p.priceCents() != null && p.priceCents() < 0) {
                    errors.add(at + "priceCents", "must not be negative");
                }
                if (p.categoryCode() != null && !p.categoryCode().isBlank()
                        && !categoryIds.containsKey(p.categoryCode().strip())) {
                    errors.add(at + "categoryCode", "unknown category");
                }
            }
            i++;
        }
        errors.throwIfAny();
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
            String categoryCode = p.categoryCode() != null ? p.categoryCode().strip() : was != null ? was.categoryCode() : null;
            // A blank category code un-catalogues the item; null keeps what was stored.
            categories[k] = categoryCode == null || categoryCode.isBlank() ? null : allCategoryIds.get(categoryCode);
            brands[k] = p.brand() != null ? InputErrors.strip(p.brand()) : was != null ? was.brand() : null;
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

    @Override
    public ProductPage products(String search, int page, int size) {
        int pageSize = Math.clamp(size, 1, 200);
        int pageNo = Math.max(0, page);
        String q = search == null ? "" : search.strip().toLowerCase(java.util.Locale.ROOT);
        // Substring search; escape LIKE wildcards so "50%" finds "50%".
        String pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String where = " where (? = '' or lower(s.code) like ? or lower(s.name) like ?)";
        long total = db.sql("select count(*) from sku s" + where).params(q, pattern, pattern)
                .query(Long.class).single();
        List<Sku> items = db.sql("select " + SKU_COLUMNS + " from sku s left join category c on c.id = s.category_id"
                        + where + " order by s.code limit ? offset ?")
                .params(q, pattern, pattern, pageSize, (long) pageNo * pageSize)
                .query(JdbcCatalog::sku).list();
        return new ProductPage(items, total, pageNo, pageSize);
    }

    // ---- store details and staff --------------------------------------------------------------

    private static final String STORE_COLUMNS = "id, code, name, region, city, timezone, opened_on, active";

    @Override
    public List<StoreDetails> storeDetails() {
        return db.sql("select " + STORE_COLUMNS + " from store order by code").query(JdbcCatalog::storeRow).list();
    }

    @Override
    public Optional<StoreDetails> storeDetails(String code) {
        return db.sql("select " + STORE_COLUMNS + " from store where code = ?").param(code)
                .query(JdbcCatalog::storeRow).optional();
    }

    @Override
    @Transactional
    public StoreDetails upsertStore(StoreDraft store) {
        Callers.requireAllStores("changing stores");
        if (store == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        new InputErrors().code("code", store.code()).name("name", store.name())
                .optionalText("region", store.region()).optionalText("city", store.city())
                .timezone("timezone", store.timezone()).throwIfAny();
        String timezone = store.timezone() == null || store.timezone().isBlank() ? "Asia/Shanghai"
                : ZoneId.of(store.timezone().strip()).getId();
        StoreDetails saved = db.sql("""
                        insert into store (code, name, region, city, timezone, opened_on, active)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (code) do update set name = excluded.name, region = excluded.region,
                            city = excluded.city, timezone = excluded.timezone, opened_on = excluded.opened_on,
                            active = excluded.active, updated_at = now()
                        returning\s""" + STORE_COLUMNS)
                .params(store.code().strip(), store.name().strip(), InputErrors.strip(store.region()),
                        InputErrors.strip(store.city()), timezone,
                        store.openedOn() == null ? null : Date.valueOf(store.openedOn()),
                        store.active() == null || store.active())
                .query(JdbcCatalog::storeRow).single();
        stores.forget();
        return saved;
    }

    private static final String STAFF_COLUMNS = "id, store_id, code, name, role, active";

    @Override
    public List<Staff> staff(long storeId) {
        return db.sql("select " + STAFF_COLUMNS + " from staff where store_id = ? order by code").param(storeId)
                .query(JdbcCatalog::staffRow).list();
    }

    @Override
    public Optional<Staff> staff(long storeId, String code) {
        return db.sql("select " + STAFF_COLUMNS + " from staff where store_id = ? and code = ?").params(storeId, code)
                .query(JdbcCatalog::staffRow).optional();
    }

    @Override
    @Transactional
    public Staff upsertStaff(long storeId, StaffDraft staff) {
        if (store(storeId).isEmpty()) {
            throw ApiProblem.notFound("store");
        }
        if (!Callers.current().maySee(storeId)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "changing the staff of a store outside your stores", List.of());
        }
        if (staff == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        InputErrors errors = new InputErrors().code("code", staff.code()).name("name", staff.name());
        String role = staff.role() == null || staff.role().isBlank() ? "clerk"
                : staff.role().strip().toLowerCase(java.util.Locale.ROOT);
        if (!Staff.ROLES.contains(role)) {
            errors.add("role", "must be one of " + String.join(", ", Staff.ROLES));
        }
        errors.throwIfAny();
        return db.sql("""
                        insert into staff (store_id, code, name, role, active) values (?, ?, ?, ?, ?)
                        on conflict (store_id, code) do update set name = excluded.name, role = excluded.role,
                            active = excluded.active, updated_at = now()
                        returning\s""" + STAFF_COLUMNS)
                .params(storeId, staff.code().strip(), staff.name().strip(), role, staff.active() == null || staff.active())
                .query(JdbcCatalog::staffRow).single();
    }

    // ---- categories ---------------------------------------------------------------------------

    /** One row of the category table before inheritance is worked out. */
    private record CategoryRow(long id, String code, String name, Long parentId, Integer repurchase, Integer care) {}

    @Override
    public List<Category> categories() {
        List<CategoryRow> rows = db.sql("""
                        select id, code, name, parent_id, repurchase_cycle_days, care_cycle_days from category
                        """)
                .query((rs, n) -> new CategoryRow(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
                        rs.getObject("parent_id", Long.class), rs.getObject("repurchase_cycle_days", Integer.class),
                        rs.getObject("care_cycle_days", Integer.class)))
                .list();
        Map<Long, List<CategoryRow>> children = new HashMap<>();
        Map<Long, CategoryRow> byId = new HashMap<>();
        rows.forEach(r -> {
            byId.put(r.id(), r);
            children.computeIfAbsent(r.parentId() == null ? 0L : r.parentId(), k -> new ArrayList<>()).add(r);
        });
        children.values().forEach(list -> list.sort(Comparator.comparing(CategoryRow::code)));
        List<Category> tree = new ArrayList<>(rows.size());
        walk(0L, null, 0, children, byId, tree);
        return tree;
    }

    private static void walk(long parentId, Category parent, int depth, Map<Long, List<CategoryRow>> children,
                             Map<Long, CategoryRow> byId, List<Category> out) {
        for (CategoryRow r : children.getOrDefault(parentId, List.of())) {
            Category c = new Category(r.id(), r.code(), r.name(), parent == null ? null : parent.code(),
                    r.repurchase(), r.care(),
                    r.repurchase() != null ? r.repurchase() : parent == null ? null : parent.effectiveRepurchaseCycleDays(),
                    r.care() != null ? r.care() : parent == null ? null : parent.effectiveCareCycleDays(),
                    depth);
            out.add(c);
            walk(r.id(), c, depth + 1, children, byId, out);
        }
    }

    @Override
    public Optional<Category> category(String code) {
        return categories().stream().filter(c -> c.code().equals(code)).findFirst();
    }

    @Override
    @Transactional
    public Category upsertCategory(CategoryDraft category) {
        Callers.requireAllStores("changing product categories");
        if (category == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        InputErrors errors = new InputErrors().code("code", category.code()).name("name", category.name())
                .days("repurchaseCycleDays", category.repurchaseCycleDays(), 1)
                .days("careCycleDays", category.careCycleDays(), 1);
        errors.throwIfAny();
        String code = category.code().strip();
        String parentCode = InputErrors.strip(category.parentCode());
        // One tree writer at a time, so two concurrent moves cannot close a loop between them.
        db.sql("select pg_advisory_xact_lock(hashtext('catalog.category-tree'))").query().singleValue();
        Long parentId = null;
        if (parentCode != null) {
            parentId = db.sql("select id from category where code = ?").param(parentCode).query(Long.class).optional()
                    .orElseThrow(() -> ApiProblem.badRequest("parentCode", "unknown category"));
            boolean loops = db.sql("""
                            with recursive up(id, code, parent_id) as (
                                select id, code, parent_id from category where id = ?
                                union all
                                select c.id, c.code, c.parent_id from category c join up on c.id = up.parent_id
                            )
                            select exists (select 1 from up where code = ?)
                            """)
                    .params(parentId, code).query(Boolean.class).single();
            if (loops) {
                throw ApiProblem.badRequest("parentCode", "would make the category its own ancestor");
            }
        }
        db.sql("""
                        insert into category (code, name, parent_id, repurchase_cycle_days, care_cycle_days)
                        values (?, ?, ?, ?, ?)
                        on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id,
                            repurchase_cycle_days = excluded.repurchase_cycle_days,
                            care_cycle_days = excluded.care_cycle_days, updated_at = now()
                        """)
                .params(code, category.name().strip(), parentId, category.repurchaseCycleDays(), category.careCycleDays())
                .update();
        return category(code).orElseThrow();
    }

    private static StoreDetails storeRow(ResultSet rs, int row) throws SQLException {
        Date opened = rs.getDate("opened_on");
        return new StoreDetails(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("region"),
                rs.getString("city"), ZoneId.of(rs.getString("timezone")), opened == null ? null : opened.toLocalDate(),
                rs.getBoolean("active"));
    }

    private static Staff staffRow(ResultSet rs, int row) throws SQLException {
        return new Staff(rs.getLong("id"), rs.getLong("store_id"), rs.getString("code"), rs.getString("name"),
                rs.getString("role"), rs.getBoolean("active"));
    }

    static Sku sku(ResultSet rs, int row) throws SQLException {
        return new Sku(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("category_code"),
                rs.getString("brand"), rs.getLong("price_cents"), rs.getBoolean("consumable"));
    }
}
