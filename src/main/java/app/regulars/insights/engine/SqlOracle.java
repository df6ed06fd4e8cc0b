package app.regulars.insights.engine;

import app.regulars.insights.Memberships;
import app.regulars.insights.RuleReferenceException;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.RuleMessage.Code;
import app.regulars.insights.rule.Value;
import app.regulars.insights.rule.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.function.IntToLongFunction;
import java.util.stream.Collectors;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The engine's oracle: the same rule compiled to plain SQL over the system-of-record tables, with
 * the same definitions (catalogue and docs/decisions/0011-insights-engine.md): numbers are float8
 * computed in the same order as the engine's doubles, dates are epoch days, a missing value makes a
 * comparison false ({@code coalesce(…, false)}), today is the day in the customer's home store's
 * timezone. Slow on purpose: one correlated subquery per aggregate, nothing precomputed.
 */
final class SqlOracle {

    private static final String D = "(r.purchased_at at time zone s.timezone)::date";
    /**
     * A customer's rows of a table: their own and those still naming a customer merged into them (a
     * receipt committed while the merge ran keeps the merged id), as the engine counts them.
     */
    private static String own(String table) {
        return "(select * from " + table + " where customer_id = c.id union all select x.* from customer m join " + table
                + " x on x.customer_id = m.id where m.merged_into = c.id)";
    }

    private static final String RECEIPTS = " from " + own("receipt") + " r join store s on s.id = r.store_id where true";
    private static final String SALES = RECEIPTS + " and r.kind = 'sale'";
    private static final String NET = "case when r.kind = 'sale' then r.total_cents else -r.total_cents end";
    private static final Set<String> RFM = Set.of("r_score", "f_score", "m_score", "rfm_segment");

    private final JdbcTemplate jdbc;
    private final String zone;
    private final IntToLongFunction customerIdOf;

    SqlOracle(JdbcTemplate jdbc, ZoneId defaultZone, IntToLongFunction customerIdOf) {
        this.jdbc = jdbc;
        this.zone = literal(defaultZone.getId());
        this.customerIdOf = customerIdOf;
    }

    /** The ids of the customers (not merged away) for whom the rule holds at {@code now}. */
    List<Long> customers(Rule rule, Memberships memberships, Instant now) {
        return jdbc.queryForList(sql(rule, memberships, now), Long.class);
    }

    String sql(Rule rule, Memberships memberships, Instant now) {
        String today = "(" + literal(now.toString()) + "::timestamptz at time zone coalesce(hs.timezone, " + zone
                + "))::date";
        String cond = new Translation(memberships).cond(rule);
        return """
                with rfm as (%s)
                select c.id from customer c
                left join store hs on hs.id = c.home_store_id
                cross join lateral (select %s as today) t
                where c.merged_into is null and (%s)
                order by c.id""".formatted(rfm(today), today, cond);
    }

    /** RFM over buyers: 1 + 5 * (buyers with a strictly worse value) / buyers, as {@link Rfm}. */
    private String rfm(String today) {
        return """
                select id, r, f, m, case
                    when r >= 4 and f >= 4 and m >= 4 then 'Champions'
                    when r >= 3 and f >= 4 then 'Loyal'
                    when r >= 4 and f >= 2 then 'Potential loyalist'
                    when r = 5 then 'New'
                    when r = 4 then 'Promising'
                    when r = 3 and f >= 2 then 'Need attention'
                    when r = 3 then 'About to sleep'
                    when r = 1 and f >= 4 then 'Can''t lose them'
                    when f >= 3 then 'At risk'
                    when r = 2 then 'Hibernating'
                    else 'Lost' end as segment
                from (select id,
                             1 + (5 * (rank() over (order by rec desc) - 1)) / count(*) over () as r,
                             1 + (5 * (rank() over (order by freq) - 1)) / count(*) over () as f,
                             1 + (5 * (rank() over (order by net) - 1)) / count(*) over () as m
                      from (select c.id, t.today - (select max(%s)%s) as rec,
                                   (select count(*)%s) as freq,
                                   (select coalesce(sum(%s), 0)%s) as net
                            from customer c left join store hs on hs.id = c.home_store_id
                            cross join lateral (select %s as today) t
                            where c.merged_into is null and exists (select 1%s)) b) scored"""
                .formatted(D, SALES, SALES, NET, RECEIPTS, today, SALES);
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String texts(List<String> values) {
        return values.stream().map(SqlOracle::literal).collect(Collectors.joining(",", "array[", "]::text[]"));
    }

    private static String dayNumber(String date) {
        return "((" + date + ") - date '1970-01-01')::float8";
    }

    private final class Translation {
        private final Memberships memberships;

        Translation(Memberships memberships) {
            this.memberships = memberships;
        }

        String cond(Rule rule) {
            return switch (rule) {
                case Rule.And and -> and.parts().isEmpty() ? "true"
                        : and.parts().stream().map(this::cond).collect(Collectors.joining(" and ", "(", ")"));
                case Rule.Or or -> or.parts().isEmpty() ? "false"
                        : or.parts().stream().map(this::cond).collect(Collectors.joining(" or ", "(", ")"));
                case Rule.Not not -> "(not " + cond(not.part()) + ")";
                case Rule.Compare cmp -> compare(cmp);
                case Rule.In in -> in(in);
                case Rule.HasTag tag -> member(memberships.tag(tag.tag()), RuleMessage.of(Code.NO_TAG, tag.tag()), tag);
                case Rule.InSegment seg -> member(memberships.segment(seg.segment()),
                        RuleMessage.of(Code.NO_SEGMENT, seg.segment()), seg);
                case Rule.Within within -> within(within);
            };
        }

        private String member(RoaringBitmap members, RuleMessage missing, Rule at) {
            if (members == null) {
                throw new RuleReferenceException(missing, at.span());
            }
            StringBuilder ids = new StringBuilder("array[0");
            members.forEach((int o) -> ids.append(',').append(customerIdOf.applyAsLong(o)));
            return "(c.id = any(" + ids + "]::bigint[]))";
        }

        private String compare(Rule.Compare cmp) {
            Sql l = value(cmp.left());
            Sql r = value(cmp.right());
            String op = cmp.operator().symbol().equals("!=") ? "<>" : cmp.operator().symbol();
            String collate = l.text && !op.equals("=") && !op.equals("<>") ? " collate \"C\"" : "";
            return "coalesce(" + l.sql + collate + " " + op + " " + r.sql + collate + ", false)";
        }

        private String in(Rule.In in) {
            Sql l = value(in.left());
            if (l.text) {
                return "coalesce(" + l.sql + " = any(" + texts(in.values().stream().map(v -> ((Value.TextLiteral) v)
                        .value()).toList()) + "), false)";
            }
            String values = in.values().stream().map(v -> value(v).sql).collect(Collectors.joining(","));
            return "coalesce(" + l.sql + " in (" + values + "), false)";
        }

        private String within(Rule.Within w) {
            String today = dayNumber("t.today");
            if (w.field().name().equals("birthday")) {
                String y = "extract(year from t.today)::int";
                String next = "case when %s >= t.today then %s else %s end".formatted(anniversary(y),
                        anniversary(y), anniversary(y + " + 1"));
                return "coalesce(c.birth_mmdd is not null and (" + next + ") - t.today < " + w.days() + ", false)";
            }
            String v = value(w.field()).sql;
            return "coalesce(" + v + " >= " + today + " and " + v + " < " + today + " + " + w.days() + ", false)";
        }

        /** The birth month-day in a year; past the month's end it falls on the last day. */
        private String anniversary(String year) {
            String m = "substring(c.birth_mmdd, 1, 2)::int";
            String d = "substring(c.birth_mmdd, 3, 2)::int";
            return "make_date(%s, %s, least(%s, extract(day from make_date(%s, %s, 1) + interval '1 month - 1 day')::int))"
                    .formatted(year, m, d, year, m);
        }

        private record Sql(String sql, boolean text) {}

        private Sql num(String sql) {
            return new Sql(sql, false);
        }

        private Sql value(Value v) {
            return switch (v) {
                case Value.NumberLiteral n -> num(literal(n.value().toPlainString()) + "::float8");
                case Value.DateLiteral d -> num(dayNumber("date " + literal(d.value().toString())));
                case Value.TextLiteral t -> new Sql(literal(t.value()), true);
                case Value.BooleanLiteral b -> throw new IllegalArgumentException("boolean at " + b.span());
                case Value.Arithmetic a -> num(arithmetic(a));
                case Value.Field f -> field(f);
                case Value.Aggregate a -> num(aggregate(a));
            };
        }

        private String arithmetic(Value.Arithmetic a) {
            String l = value(a.left()).sql;
            String r = value(a.right()).sql;
            return a.operator() == '/' ? "(" + l + " / nullif(" + r + ", 0))" : "(" + l + " " + a.operator() + " " + r + ")";
        }

        private Sql field(Value.Field f) {
            String name = f.name();
            if (RFM.contains(name)) {
                String column = switch (name) {
                    case "r_score" -> "r";
                    case "f_score" -> "f";
                    case "m_score" -> "m";
                    default -> "segment";
                };
                String sql = "(select " + column + (column.equals("segment") ? "" : "::float8")
                        + " from rfm where rfm.id = c.id)";
                return new Sql(sql, column.equals("segment"));
            }
            String registered = "(c.registered_at at time zone coalesce(hs.timezone, " + zone + "))::date";
            String cycle = """
                    (select case when count(*) = 0 then null
                                 when count(*) %% 2 = 1 then (array_agg(g order by g))[count(*) / 2 + 1]::float8
                                 else ((array_agg(g order by g))[count(*) / 2] + (array_agg(g order by g))[count(*) / 2 + 1])::float8 / 2 end
                     from (select d - lag(d) over (order by d) as g from (select distinct %s as d%s) x) y
                     where g is not null)""".formatted(D, SALES);
            return switch (name) {
                case "days_since_last_purchase", "recency" -> num("(t.today - (select max(" + D + ")" + SALES + "))::float8");
                case "days_since_first_purchase" -> num("(t.today - (select min(" + D + ")" + SALES + "))::float8");
                case "tenure_days" -> num("(t.today - least(" + registered + ", (select min(" + D + ")" + SALES + ")))::float8");
                case "frequency" -> num("(select count(*)" + SALES + ")::float8");
                case "monetary" -> num("(select coalesce(sum(" + NET + "), 0)" + RECEIPTS + ")::float8 / 100");
                case "aov" -> num("(select sum(r.total_cents)::float8 / count(*) / 100" + SALES + ")");
                case "first_purchase_date" -> num(dayNumber("select min(" + D + ")" + SALES));
                case "last_purchase_date" -> num(dayNumber("select max(" + D + ")" + SALES));
                case "repurchase_cycle_days" -> num(cycle);
                case "next_expected_purchase_date" -> num("(" + dayNumber("select max(" + D + ")" + SALES)
                        + " + floor(" + cycle + " + 0.5))");
                case "discount_rate" -> num("(select sum(r.discount_cents)::float8 / nullif(sum(r.total_cents) "
                        + "+ sum(r.discount_cents), 0)::float8" + SALES + ")");
                case "coupon_redemption_rate" -> num("(select count(*) filter (where exists (select 1 from receipt_line l "
                        + "where l.receipt_id = r.id and l.coupon_code is not null))::float8 / nullif(count(*), 0)"
                        + SALES + ")");
                case "returns_rate" -> num("((select count(*)" + RECEIPTS + " and r.kind = 'refund')::float8 / "
                        + "nullif((select count(*)" + SALES + "), 0))");
                case "active_months" -> num("(select count(distinct date_trunc('month', " + D + "))" + SALES + ")::float8");
                case "preferred_payment" -> preferred("r.payment_method");
                case "preferred_channel" -> preferred("r.channel");
                case "preferred_store" -> preferred("s.code");
                case "holiday_share" -> num("(select sum(case when exists (select 1 from holiday h where " + D
                        + " between h.date - h.window_before_days and h.date + h.window_after_days) then " + NET
                        + " else 0 end)::float8 / nullif(sum(" + NET + "), 0)::float8" + RECEIPTS + ")");
                case "gender", "age_band", "city", "region", "registration_channel" -> new Sql("c." + name, true);
                case "home_store" -> new Sql("hs.code", true);
                case "registration_store" -> new Sql("(select code from store where id = c.registration_store_id)", true);
                case "registered_date" -> num(dayNumber(registered));
                case "birth_month" -> num("substring(c.birth_mmdd, 1, 2)::float8");
                case "tier" -> new Sql("coalesce((select tier_code from points_account where customer_id = c.id),"
                        + " (select code from loyalty_tier order by rank limit 1))", true);
                case "points_balance" -> num("coalesce((select balance from points_account where customer_id = c.id), 0)"
                        + "::float8");
                case "coupons_unused" -> num("(select count(*) from coupon k where k.customer_id = c.id"
                        + " and k.status <> 'redeemed' and " + customerDay("k.valid_until") + " >= t.today)::float8");
                default -> custom(f);
            };
        }

        private Sql preferred(String column) {
            return new Sql("(select " + column + SALES + " and " + column + " is not null group by " + column
                    + " order by count(*) desc, " + column + " collate \"C\" limit 1)", true);
        }

        private Sql custom(Value.Field f) {
            String type = jdbc.query("select type from custom_field where key = ? and active",
                    rs -> rs.next() ? rs.getString(1) : null, f.name());
            if (type == null) {
                throw new RuleReferenceException(RuleMessage.of(Code.NO_FIELD, f.name()), f.span());
            }
            String raw = "(c.custom ->> " + literal(f.name()) + ")";
            return switch (type) {
                case "number" -> num("(case when " + raw + " ~ " + literal(Compiler.NUMBER.pattern()) + " then "
                        + raw + "::float8 end)");
                case "date" -> num("(case when " + raw + " ~ " + literal(Compiler.DATE.pattern()) + " then "
                        + dayNumber(raw + "::date") + " end)");
                default -> new Sql(raw, true);
            };
        }

        // ---- aggregates -----------------------------------------------------------------------

        private String aggregate(Value.Aggregate a) {
            if (a.function().equals("events") || a.function().equals("avg_rating")) {
                return events(a);
            }
            if (a.function().equals("points_expiring")) {
                return "(select coalesce(sum(p.remaining), 0) from points_lot p where p.customer_id = c.id"
                        + " and p.remaining > 0 and p.expires_at is not null"
                        + ahead(a.window(), customerDay("p.expires_at")) + ")::float8";
            }
            if (a.function().equals("coupon_redeemed")) {
                return couponRedeemed(a);
            }
            String rm = window(a.window(), D) + receiptFilters(a.filters());
            String lm = lineFilters(a.filters());
            boolean lines = !lm.isEmpty();
            String exists = lines ? " and exists (select 1 from receipt_line l where l.receipt_id = r.id" + lm + ")" : "";
            String withLines = " from " + own("receipt") + " r join store s on s.id = r.store_id"
                    + " join receipt_line l on l.receipt_id = r.id where true";
            return switch (a.function()) {
                case "orders" -> "(select count(*)" + SALES + rm + exists + ")::float8";
                case "refunds" -> "(select count(*)" + RECEIPTS + " and r.kind = 'refund'" + rm + exists + ")::float8";
                case "spent" -> lines
                        ? "(select coalesce(sum(case when r.kind = 'sale' then l.amount_cents else -l.amount_cents end), 0)"
                                + withLines + rm + lm + ")::float8 / 100"
                        : "(select coalesce(sum(" + NET + "), 0)" + RECEIPTS + rm + ")::float8 / 100";
                case "avg_spent", "min_spent", "max_spent" -> {
                    String per = lines
                            ? "(select sum(l.amount_cents) as v" + withLines + " and r.kind = 'sale'" + rm + lm
                                    + " group by r.id)"
                            : "(select r.total_cents as v" + SALES + rm + ")";
                    String agg = switch (a.function()) {
                        case "avg_spent" -> "sum(v)::float8 / count(*) / 100";
                        case "min_spent" -> "min(v)::float8 / 100";
                        default -> "max(v)::float8 / 100";
                    };
                    yield "(select " + agg + " from " + per + " q)";
                }
                case "quantity" -> "(select coalesce(sum(l.quantity), 0)" + withLines + " and r.kind = 'sale'" + rm + lm
                        + ")::float8";
                case "distinct" -> distinct(a.argument(), rm, lm, exists, withLines);
                default -> throw new IllegalArgumentException("unknown aggregate " + a.function());
            };
        }

        private String distinct(String dimension, String rm, String lm, String exists, String withLines) {
            return switch (dimension) {
                case "category" -> "(select count(distinct l.category_code)" + withLines + " and r.kind = 'sale'" + rm + lm
                        + ")::float8";
                case "product" -> "(select count(distinct l.sku_id)" + withLines + " and r.kind = 'sale'" + rm + lm
                        + ")::float8";
                case "store" -> "(select count(distinct r.store_id)" + SALES + rm + exists + ")::float8";
                case "channel" -> "(select count(distinct r.channel)" + SALES + rm + exists + ")::float8";
                case "month" -> "(select count(distinct date_trunc('month', " + D + "))" + SALES + rm + exists + ")::float8";
                default -> throw new IllegalArgumentException("unknown distinct dimension " + dimension);
            };
        }

        private String events(Value.Aggregate a) {
            String day = "(i.occurred_at at time zone coalesce(s.timezone, " + zone + "))::date";
            boolean rating = a.function().equals("avg_rating");
            StringBuilder sql = new StringBuilder("(select " + (rating ? "sum(i.rating)::float8 / count(i.rating)" : "count(*)")
                    + " from " + own("interaction") + " i left join store s on s.id = i.store_id where i.type = "
                    + literal(rating ? "review" : a.argument()) + window(a.window(), day));
            for (Value.Filter f : a.filters()) {
                String in = switch (f.dimension()) {
                    case "store" -> "coalesce(s.code = any(" + texts(f.values()) + "), false)";
                    case "product" -> "coalesce(i.sku_id in (select id from sku where code = any(" + texts(f.values())
                            + ")), false)";
                    default -> throw new IllegalArgumentException("events cannot be filtered by " + f.dimension());
                };
                sql.append(f.negated() ? " and not " : " and ").append(in);
            }
            return sql.append(")::float8").toString();
        }

        /** Loyalty facts are dated in the customer's own timezone, as "today" is. */
        private String customerDay(String instant) {
            return "(" + instant + " at time zone coalesce(hs.timezone, " + zone + "))::date";
        }

        private String couponRedeemed(Value.Aggregate a) {
            Integer templates = jdbc.queryForObject("select count(*)::int from coupon_template where name = ?",
                    Integer.class, a.argument());
            if (templates == null || templates == 0) {
                throw new RuleReferenceException(RuleMessage.of(Code.NO_COUPON_TEMPLATE, a.argument()), a.span());
            }
            return "(select count(*) from coupon k join coupon_redemption r on r.id = k.redemption_id"
                    + " join coupon_template tp on tp.id = k.template_id where k.customer_id = c.id"
                    + " and k.status = 'redeemed' and tp.name = " + literal(a.argument())
                    + window(a.window(), customerDay("r.redeemed_at")) + ")::float8";
        }

        /** A window that looks ahead: a rolling one is the next days from today, the others start today at the earliest. */
        private String ahead(Window w, String day) {
            if (w instanceof Window.Rolling r) {
                return " and " + day + " between t.today and t.today + " + (r.days() - 1);
            }
            return " and " + day + " >= t.today" + window(w, day);
        }

        private String window(Window w, String day) {
            String month = "date_trunc('month', t.today::timestamp)";
            String week = "date_trunc('week', t.today::timestamp)::date";
            String year = "date_trunc('year', t.today::timestamp)";
            String range = switch (w) {
                case Window.AllTime all -> null;
                case Window.Rolling r -> "t.today - " + (r.days() - 1) + " and t.today";
                case Window.Between b -> "date " + literal(b.from().toString()) + " and date " + literal(b.to().toString());
                case Window.AroundHoliday h -> {
                    String latest = "(select max(date) from holiday where replace(code, '_', '-') = "
                            + literal(CatalogFacts.holidaySpelling(h.holiday()))
                            + " and date <= t.today)";
                    yield latest + " - " + h.days() + " and " + latest + " + " + h.days();
                }
                case Window.Calendar c -> switch (c.period()) {
                    case "this_week" -> week + " and " + week + " + 6";
                    case "last_week" -> week + " - 7 and " + week + " - 1";
                    case "this_month" -> month + "::date and (" + month + " + interval '1 month')::date - 1";
                    case "last_month" -> "(" + month + " - interval '1 month')::date and " + month + "::date - 1";
                    case "prev_3_months" -> "(" + month + " - interval '4 months')::date and (" + month
                            + " - interval '1 month')::date - 1";
                    case "this_year" -> year + "::date and (" + year + " + interval '1 year')::date - 1";
                    case "last_year" -> "(" + year + " - interval '1 year')::date and " + year + "::date - 1";
                    default -> throw new IllegalArgumentException("unknown period " + c.period());
                };
            };
            return range == null ? "" : " and coalesce(" + day + " between " + range + ", false)";
        }

        private String receiptFilters(List<Value.Filter> filters) {
            StringBuilder sql = new StringBuilder();
            for (Value.Filter f : filters) {
                String in = switch (f.dimension()) {
                    case "store" -> "coalesce(s.code = any(" + texts(f.values()) + "), false)";
                    case "channel" -> "coalesce(r.channel = any(" + texts(f.values()) + "), false)";
                    case "payment" -> "coalesce(r.payment_method = any(" + texts(f.values()) + "), false)";
                    default -> null;
                };
                if (in != null) {
                    sql.append(f.negated() ? " and not " : " and ").append(in);
                }
            }
            return sql.toString();
        }

        private String lineFilters(List<Value.Filter> filters) {
            StringBuilder sql = new StringBuilder();
            for (Value.Filter f : filters) {
                String in = switch (f.dimension()) {
                    case "category" -> "coalesce(l.category_code = any(" + texts(f.values()) + ") or l.category_code in ("
                            + "with recursive d(id, code) as (select id, code from category where code = any("
                            + texts(f.values()) + ") union select k.id, k.code from category k join d on k.parent_id = d.id)"
                            + " select code from d), false)";
                    case "product" -> "coalesce(l.sku_id in (select id from sku where code = any(" + texts(f.values())
                            + ")), false)";
                    case "coupon" -> "coalesce((l.coupon_code is not null) = any(array[" + f.values().stream()
                            .map(v -> v.equals("true") ? "true" : "false").collect(Collectors.joining(",")) + "]::boolean[]), false)";
                    default -> null;
                };
                if (in != null) {
                    sql.append(f.negated() ? " and not " : " and ").append(in);
                }
            }
            return sql.toString();
        }
    }
}
