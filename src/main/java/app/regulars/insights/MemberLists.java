package app.regulars.insights;

import app.regulars.customers.CustomerVisibility;
import app.regulars.insights.Segments.MemberPage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The members of a segment or tag, as the caller may list them. WHY the scope here: a store-scoped
 * user or API key sees only the customers of its stores (home or registration store) on every
 * customer list, and a member list is one; left to each door, only the console's list filtered.
 */
@Component
class MemberLists {

    /** Where the members of each kind of definition are kept. */
    enum Of {
        SEGMENT("segment_member", "segment_id"),
        TAG("customer_tag", "tag_id");

        private final String table;
        private final String key;

        Of(String table, String key) {
            this.table = table;
            this.key = key;
        }
    }

    private final JdbcClient db;
    private final CustomerVisibility visibility;

    MemberLists(JdbcClient db, CustomerVisibility visibility) {
        this.db = db;
        this.visibility = visibility;
    }

    /**
     * A page of the members the caller may see, by customer id ascending; with {@code store}, only that
     * store's customers.
     */
    MemberPage page(Of of, long id, Long store, int page, int size) {
        int safeSize = Math.clamp(size, 1, 1000);
        int safePage = Math.max(page, 0);
        Query members = members(of, id, store);
        List<Long> ids = db.sql("select m.customer_id " + members.sql() + " order by m.customer_id limit ? offset ?")
                .params(members.params(safeSize, (long) safePage * safeSize)).query(Long.class).list();
        long total = db.sql("select count(*) " + members.sql()).params(members.params()).query(Long.class).single();
        return new MemberPage(ids, total, safePage, safeSize);
    }

    /** How many members the caller may see, of every definition of the kind (absent: none), in one query. */
    Map<Long, Long> counts(Of of) {
        Query members = members(of, null, null);
        Map<Long, Long> counts = new HashMap<>();
        db.sql("select m." + of.key + ", count(*) " + members.sql() + " group by m." + of.key)
                .params(members.params()).query(rs -> {
                    counts.put(rs.getLong(1), rs.getLong(2));
                });
        return counts;
    }

    /** Every member the caller may see, for exports. */
    List<Long> ids(Of of, long id) {
        Query members = members(of, id, null);
        return db.sql("select m.customer_id " + members.sql() + " order by m.customer_id")
                .params(members.params()).query(Long.class).list();
    }

    private record Query(String sql, List<Object> params) {

        List<Object> params(Object... more) {
            List<Object> all = new ArrayList<>(params);
            all.addAll(List.of(more));
            return all;
        }
    }

    /**
     * The members of one definition ({@code id}), or of all of the kind (null), that the caller may see;
     * with {@code store}, of those only the customers of that store (none when the caller may not see it).
     */
    private Query members(Of of, Long id, Long store) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (id != null) {
            where.add("m." + of.key + " = ?");
            params.add(id);
        }
        Set<Long> stores = visibility.listScope(store);
        if (stores != null) {
            Long[] scope = stores.toArray(Long[]::new);
            where.add("exists (select 1 from customer c where c.id = m.customer_id"
                    + " and (c.home_store_id = any(?) or c.registration_store_id = any(?)))");
            params.add(scope);
            params.add(scope);
        }
        return new Query("from " + of.table + " m" + (where.isEmpty() ? "" : " where " + String.join(" and ", where)),
                params);
    }
}
