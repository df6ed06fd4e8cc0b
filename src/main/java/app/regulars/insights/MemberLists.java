package app.regulars.insights;

import app.regulars.customers.CustomerVisibility;
import app.regulars.insights.Segments.MemberPage;
import java.util.ArrayList;
import java.util.List;
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

    /** A page of the members the caller may see, by customer id ascending. */
    MemberPage page(Of of, long id, int page, int size) {
        int safeSize = Math.clamp(size, 1, 1000);
        int safePage = Math.max(page, 0);
        Query members = members(of, id);
        List<Long> ids = db.sql("select m.customer_id " + members.sql() + " order by m.customer_id limit ? offset ?")
                .params(members.params(safeSize, (long) safePage * safeSize)).query(Long.class).list();
        return new MemberPage(ids, count(of, id), safePage, safeSize);
    }

    /** How many members the caller may see. */
    long count(Of of, long id) {
        Query members = members(of, id);
        return db.sql("select count(*) " + members.sql()).params(members.params()).query(Long.class).single();
    }

    /** Every member the caller may see, for exports. */
    List<Long> ids(Of of, long id) {
        Query members = members(of, id);
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

    private Query members(Of of, long id) {
        String from = "from " + of.table + " m where m." + of.key + " = ?";
        Set<Long> stores = visibility.listScope();
        if (stores == null) {
            return new Query(from, List.of(id));
        }
        Long[] scope = stores.toArray(Long[]::new);
        return new Query(from + " and exists (select 1 from customer c where c.id = m.customer_id"
                + " and (c.home_store_id = any(?) or c.registration_store_id = any(?)))", List.of(id, scope, scope));
    }
}
