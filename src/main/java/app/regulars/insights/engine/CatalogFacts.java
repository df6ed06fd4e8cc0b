package app.regulars.insights.engine;

import app.regulars.insights.rule.Catalogue;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.Value;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * What a rule needs from the catalog and the custom field definitions at the moment it is
 * compiled: the category tree (a category matches its descendants), SKU ids by code, the holiday
 * calendar, the active custom fields with their types, the loyalty tiers (lowest first) and the
 * coupon templates by name, and the days of the holiday seasons (made once per read, not once per
 * rule compiled with them). These change outside the event feed, so
 * they are read fresh (a few small queries) for each evaluation, before the index lock is taken.
 */
record CatalogFacts(Map<String, String> parentOf, Map<String, Integer> skuIds, Map<String, List<Integer>> holidays,
                    Map<String, String> customFieldTypes, List<String> tiers, Map<String, List<Long>> couponTemplates,
                    HolidayDays holidayDays) {

    /** The coupon templates a rule names ({@code coupon_redeemed("…", …)}). */
    static Set<String> couponTemplates(Rule rule) {
        Set<String> names = new LinkedHashSet<>();
        collect(rule, a -> {
            if (a.function().equals("coupon_redeemed") && a.argument() != null) {
                names.add(a.argument());
            }
        });
        return names;
    }

    /** The product codes a rule's filters name. */
    static Set<String> products(Rule rule) {
        Set<String> products = new LinkedHashSet<>();
        collect(rule, a -> a.filters().stream().filter(f -> f.dimension().equals("product"))
                .forEach(f -> products.addAll(f.values())));
        return products;
    }

    static CatalogFacts read(DataSource dataSource, Rule rule) {
        Set<String> products = products(rule);
        try (Connection c = dataSource.getConnection()) {
            Map<String, String> parents = new HashMap<>();
            query(c, "select c.code, p.code from category c left join category p on p.id = c.parent_id", null,
                    rs -> parents.put(rs.getString(1), rs.getString(2)));
            Map<String, Integer> skus = new HashMap<>();
            if (!products.isEmpty()) {
                query(c, "select code, id from sku where code = any(?)", products.toArray(String[]::new),
                        rs -> skus.put(rs.getString(1), rs.getInt(2)));
            }
            Map<String, List<Integer>> holidays = new HashMap<>();
            List<HolidayDays.Season> seasons = new ArrayList<>();
            query(c, "select code, date - date '1970-01-01', window_before_days, window_after_days from holiday"
                            + " order by date", null, rs -> {
                        int day = rs.getInt(2);
                        holidays.computeIfAbsent(holidaySpelling(rs.getString(1)), k -> new ArrayList<>()).add(day);
                        seasons.add(new HolidayDays.Season(day - rs.getInt(3), day + rs.getInt(4)));
                    });
            Map<String, String> fields = new HashMap<>();
            query(c, "select key, type from custom_field where active", null,
                    rs -> fields.put(rs.getString(1), rs.getString(2)));
            List<String> tiers = new ArrayList<>();
            query(c, "select code from loyalty_tier order by rank", null, rs -> tiers.add(rs.getString(1)));
            Map<String, List<Long>> templates = new HashMap<>();
            query(c, "select name, id from coupon_template order by id", null,
                    rs -> templates.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2)));
            return new CatalogFacts(parents, skus, holidays, fields, tiers, templates, new HolidayDays(seasons));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the catalog for a rule", e);
        }
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, String[] codes, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (codes != null) {
                ps.setArray(1, c.createArrayOf("text", codes));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    /** The categories a filter value stands for: itself and all its descendants. */
    Set<String> categoryAndDescendants(String code) {
        Set<String> out = new HashSet<>();
        out.add(code);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, String> e : parentOf.entrySet()) {
                if (e.getValue() != null && out.contains(e.getValue()) && out.add(e.getKey())) {
                    grew = true;
                }
            }
        }
        return out;
    }

    /**
     * The days of a holiday, by a code as rules write it; null when the calendar has none. Rules treat
     * {@code _} and {@code -} alike (the catalog writes {@code spring-festival}, the docs and many people
     * {@code spring_festival}).
     */
    List<Integer> holiday(String code) {
        return holidays.get(holidaySpelling(code));
    }

    /** One spelling for the codes that rules treat as the same holiday. */
    static String holidaySpelling(String code) {
        return code.replace('_', '-');
    }

    /** The custom fields a rule names: its bare fields that are not built in. */
    static Set<String> customFields(Rule rule) {
        Set<String> names = new LinkedHashSet<>();
        visit(rule, v -> {
            if (v instanceof Value.Field f && Catalogue.field(f.name()).isEmpty()) {
                names.add(f.name());
            }
        });
        return names;
    }

    private static void collect(Rule rule, Consumer<Value.Aggregate> visit) {
        visit(rule, v -> {
            if (v instanceof Value.Aggregate a) {
                visit.accept(a);
            }
        });
    }

    /** Every value of the rule, arithmetic and its operands alike. */
    private static void visit(Rule rule, Consumer<Value> visit) {
        switch (rule) {
            case Rule.And and -> and.parts().forEach(p -> visit(p, visit));
            case Rule.Or or -> or.parts().forEach(p -> visit(p, visit));
            case Rule.Not not -> visit(not.part(), visit);
            case Rule.Compare cmp -> {
                visit(cmp.left(), visit);
                visit(cmp.right(), visit);
            }
            case Rule.In in -> visit(in.left(), visit);
            case Rule.Within within -> visit(within.field(), visit);
            default -> { }
        }
    }

    private static void visit(Value value, Consumer<Value> visit) {
        visit.accept(value);
        if (value instanceof Value.Arithmetic a) {
            visit(a.left(), visit);
            visit(a.right(), visit);
        }
    }
}
