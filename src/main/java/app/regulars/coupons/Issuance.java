package app.regulars.coupons;

import app.regulars.insights.Segments;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.EventFeed;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues coupons. Every issuance locks its template's row first ({@code select … for update}) and keeps
 * the lock to the end of its transaction, so caps are checked and counted by one issuer at a time: the
 * quantity, the budget (face value reserved at issue) and the per-customer limit can never be exceeded,
 * and two calls with the same issue key find each other's coupon.
 */
@Service
class Issuance implements Coupons {

    static final String TOPIC = "coupons";
    static final Set<String> VIAS = Set.of("console", "api", "bulk", "rule", "journey", "draw", "points");
    static final int MAX_BULK = 50_000;
    static final int BATCH = 1_000;

    static final String PER_CUSTOMER_LIMIT = "PER_CUSTOMER_LIMIT";
    static final String QUANTITY_CAP = "QUANTITY_CAP";
    static final String BUDGET_CAP = "BUDGET_CAP";
    static final String TEMPLATE_INACTIVE = "TEMPLATE_INACTIVE";
    static final String TEMPLATE_EXPIRED = "TEMPLATE_EXPIRED";

    private static final String COUPON_COLUMNS = """
            c.id, c.code, c.template_id, t.name, t.kind, c.face_cents, c.customer_id, c.status, c.issued_at,
            c.issued_via, c.valid_from, c.valid_until, r.receipt_no, r.redeemed_at""" + " ";

    private final JdbcClient jdbc;
    private final CouponCodes codes;
    private final EventFeed feed;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;
    private final Segments segments;

    Issuance(JdbcClient jdbc, CouponCodes codes, EventFeed feed, TransactionTemplate tx, Clock clock,
             ObjectMapper json, Segments segments) {
        this.jdbc = jdbc;
        this.codes = codes;
        this.feed = feed;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        this.segments = segments;
    }

    /** What one issuance came to: a coupon, or the cap that refused it. */
    record Outcome(Issued issued, String refusal) {}

    @Override
    public Issued issue(Issue issue) {
        Outcome outcome = tryIssue(issue);
        if (outcome.refusal() != null) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.skipped("templateId", outcome.refusal()));
        }
        return outcome.issued();
    }

    /** Like {@link #issue} but a reached cap is an answer, not an exception (draws fall back to no prize). */
    Outcome tryIssue(Issue issue) {
        check(issue);
        return tx.execute(status -> {
            Optional<Issued> earlier = byKey(issue);
            if (earlier.isPresent()) {
                return new Outcome(earlier.get(), null);
            }
            CouponTemplate template = lock(issue.templateId());
            earlier = byKey(issue); // a concurrent call with the same key may have committed while we waited
            if (earlier.isPresent()) {
                return new Outcome(earlier.get(), null);
            }
            Instant now = clock.instant();
            String refused = refusal(template, now);
            if (refused == null && template.perCustomerLimit() != null
                    && held(template.id(), List.of(issue.customerId())).getOrDefault(issue.customerId(), 0)
                    >= template.perCustomerLimit()) {
                refused = PER_CUSTOMER_LIMIT;
            }
            refused = refused != null ? refused : capRefusal(template, 1);
            if (refused != null) {
                return new Outcome(null, refused);
            }
            List<Issued> issued = insert(template, List.of(issue.customerId()), List.of(issue.issueKey()),
                    issue.via().strip(), now);
            return new Outcome(issued.getFirst(), null);
        });
    }

    @Override
    public BulkIssued issueToAll(long templateId, Collection<Long> customerIds, String issueKey, String via) {
        Problems p = new Problems();
        if (customerIds == null || customerIds.isEmpty()) {
            p.add("customerIds", "required", "required");
        } else if (customerIds.size() > MAX_BULK) {
            p.add(Refusals.CODES.of("customerIds", "tooMany", MAX_BULK,
                    "at most " + MAX_BULK + " a call; send a larger list in parts with the same issueKey"));
        } else if (customerIds.stream().anyMatch(c -> c == null || c <= 0)) {
            p.add("customerIds", "notIds", "must be positive ids");
        }
        checkKey(issueKey, via, p);
        p.throwIfAny();
        return inBatches(templateId, List.copyOf(new LinkedHashSet<>(customerIds)), issueKey.strip(), via.strip());
    }

    @Override
    public BulkIssued issueToSegment(long templateId, long segmentId, String issueKey, String via) {
        Problems p = new Problems();
        checkKey(issueKey, via, p);
        p.throwIfAny();
        List<Long> members = members(segmentId);
        if (members.isEmpty()) {
            template(templateId, false); // an unknown template is still a 404, even for an empty segment
            return new BulkIssued(List.of(), List.of());
        }
        return inBatches(templateId, members, issueKey.strip(), via.strip());
    }

    @Override
    public BulkPlan planForSegment(long templateId, long segmentId, String issueKey) {
        Problems p = new Problems();
        checkKey(issueKey, "bulk", p);
        p.throwIfAny();
        List<Long> members = members(segmentId);
        CouponTemplate template = template(templateId, false);
        Map<Long, String> keys = keys(members, issueKey.strip());
        Decision d = decide(template, members, keys, earlier(template, keys), held(template, members), clock.instant());
        Map<String, Integer> skipped = new TreeMap<>();
        d.skipped().forEach(s -> skipped.merge(s.reason(), 1, Integer::sum));
        return new BulkPlan(members.size(), d.fresh().size(), d.earlier().size(), skipped);
    }

    /** The segment's members now, in id order, within the bulk limit. */
    private List<Long> members(long segmentId) {
        if (segments.find(segmentId).isEmpty()) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "segmentId: unknown segment " + segmentId,
                    List.of(Refusals.CODES.of("segmentId", "noSuchSegment", "unknown segment")));
        }
        List<Long> members = segments.memberIds(segmentId);
        if (members.size() > MAX_BULK) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("segmentId", "segmentTooLarge", MAX_BULK,
                    "the segment has " + members.size() + " members; at most " + MAX_BULK + " can be issued to in one call"));
        }
        return members;
    }

    /**
     * One transaction per batch: each locks the template afresh, so the caps are checked against what the
     * previous batches (and any other issuer) counted, and the lock is never held for the whole list.
     */
    private BulkIssued inBatches(long templateId, List<Long> customers, String issueKey, String via) {
        List<Issued> issued = new ArrayList<>();
        List<BulkIssued.Skipped> skipped = new ArrayList<>();
        for (int from = 0; from < customers.size(); from += BATCH) {
            List<Long> batch = customers.subList(from, Math.min(customers.size(), from + BATCH));
            BulkIssued done = tx.execute(status -> {
                CouponTemplate template = lock(templateId);
                Map<Long, String> keys = keys(batch, issueKey);
                Instant now = clock.instant();
                Decision d = decide(template, batch, keys, earlier(template, keys), held(template, batch), now);
                List<Issued> all = new ArrayList<>(d.earlier());
                if (!d.fresh().isEmpty()) {
                    all.addAll(insert(template, d.fresh(), d.fresh().stream().map(keys::get).toList(), via, now));
                }
                return new BulkIssued(all, d.skipped());
            });
            issued.addAll(done.issued());
            skipped.addAll(done.skipped());
        }
        return new BulkIssued(issued, skipped);
    }

    /** Who of {@code customers} had a coupon from an earlier call, who gets none and why, and who gets one now. */
    private record Decision(List<Issued> earlier, List<BulkIssued.Skipped> skipped, List<Long> fresh) {}

    private static Decision decide(CouponTemplate template, List<Long> customers, Map<Long, String> keys,
                                   Map<String, Issued> earlier, Map<Long, Integer> held, Instant now) {
        String closed = refusal(template, now);
        List<Issued> before = new ArrayList<>();
        List<BulkIssued.Skipped> skipped = new ArrayList<>();
        List<Long> fresh = new ArrayList<>();
        for (long customer : customers) {
            Issued found = earlier.get(keys.get(customer));
            if (found != null) {
                before.add(found);
            } else if (closed != null) {
                skipped.add(new BulkIssued.Skipped(customer, closed));
            } else if (template.perCustomerLimit() != null
                    && held.getOrDefault(customer, 0) >= template.perCustomerLimit()) {
                skipped.add(new BulkIssued.Skipped(customer, PER_CUSTOMER_LIMIT));
            } else {
                String cap = capRefusal(template, fresh.size() + 1);
                if (cap != null) {
                    skipped.add(new BulkIssued.Skipped(customer, cap));
                } else {
                    fresh.add(customer);
                }
            }
        }
        return new Decision(before, skipped, fresh);
    }

    private static Map<Long, String> keys(List<Long> customers, String issueKey) {
        Map<Long, String> keys = new LinkedHashMap<>();
        customers.forEach(c -> keys.put(c, issueKey + ":" + c));
        return keys;
    }

    /** Coupons issued before under these keys; a key used for another template is a conflict, not a coupon. */
    private Map<String, Issued> earlier(CouponTemplate template, Map<Long, String> keys) {
        Map<String, Issued> found = byKeys(keys.values());
        for (Map.Entry<Long, String> e : keys.entrySet()) {
            Issued i = found.get(e.getValue());
            if (i != null && (i.templateId() != template.id() || i.customerId() != e.getKey())) {
                throw ApiProblem.of(HttpStatus.CONFLICT,
                        Refusals.CODES.of("issueKey", "issueKeyUsed", "already used for another template or customer"));
            }
        }
        return found;
    }

    private Map<Long, Integer> held(CouponTemplate template, List<Long> customers) {
        return template.perCustomerLimit() == null ? Map.of() : held(template.id(), customers);
    }

    @Override
    public List<CustomerCoupon> ofCustomer(long customerId) {
        return jdbc.sql("select " + COUPON_COLUMNS + """
                         from coupon c join coupon_template t on t.id = c.template_id
                         left join coupon_redemption r on r.id = c.redemption_id
                         where c.customer_id = ? order by c.issued_at desc, c.id desc""")
                .param(customerId).query((rs, i) -> customerCoupon(rs)).list();
    }

    @Override
    public Optional<CustomerCoupon> byCode(String code) {
        return jdbc.sql("select " + COUPON_COLUMNS + """
                         from coupon c join coupon_template t on t.id = c.template_id
                         left join coupon_redemption r on r.id = c.redemption_id
                         where c.code = ?""")
                .param(CouponCodes.normalise(code)).query((rs, i) -> customerCoupon(rs)).optional();
    }

    private CustomerCoupon customerCoupon(ResultSet rs) throws SQLException {
        Instant until = JdbcCouponTemplates.instant(rs, "valid_until");
        String status = rs.getString("status");
        if ("active".equals(status) && !clock.instant().isBefore(until)) {
            status = "expired";
        }
        return new CustomerCoupon(rs.getLong("id"), rs.getString("code"), rs.getLong("template_id"),
                rs.getString("name"), CouponKind.ofCode(rs.getString("kind")), rs.getLong("face_cents"),
                rs.getLong("customer_id"), status, JdbcCouponTemplates.instant(rs, "issued_at"),
                rs.getString("issued_via"), JdbcCouponTemplates.instant(rs, "valid_from"), until,
                rs.getString("receipt_no"), JdbcCouponTemplates.instant(rs, "redeemed_at"));
    }

    private void check(Issue issue) {
        Problems p = new Problems();
        if (issue == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        if (issue.customerId() <= 0) {
            p.add("customerId", "required");
        }
        checkKey(issue.issueKey(), issue.via(), p);
        p.throwIfAny();
    }

    private static void checkKey(String issueKey, String via, Problems p) {
        if (issueKey == null || issueKey.isBlank()) {
            p.add("issueKey", "required (a retry with the same key issues nothing new)");
        } else if (issueKey.length() > 200) {
            p.add("issueKey", "at most 200 characters");
        }
        if (via == null || !VIAS.contains(via.strip())) {
            p.add("via", "must be one of " + String.join(", ", new java.util.TreeSet<>(VIAS)));
        }
    }

    private CouponTemplate lock(long templateId) {
        return template(templateId, true);
    }

    /** The template as stored; with {@code forUpdate} its row stays locked to the end of the transaction. */
    private CouponTemplate template(long templateId, boolean forUpdate) {
        return jdbc.sql("select " + JdbcCouponTemplates.COLUMNS + " from coupon_template t where id = ?"
                        + (forUpdate ? " for update" : ""))
                .param(templateId).query((rs, i) -> JdbcCouponTemplates.read(rs, json)).optional()
                .orElseThrow(() -> ApiProblem.notFound("coupon template " + templateId));
    }

    private static String refusal(CouponTemplate t, Instant now) {
        if (!t.active()) {
            return TEMPLATE_INACTIVE;
        }
        if (t.validUntil() != null && !now.isBefore(t.validUntil())) {
            return TEMPLATE_EXPIRED;
        }
        return null;
    }

    /** Whether {@code n} more coupons would pass the template's quantity and budget (as locked). */
    private static String capRefusal(CouponTemplate t, int n) {
        if (t.totalQuantity() != null && t.issuedCount() + (long) n > t.totalQuantity()) {
            return QUANTITY_CAP;
        }
        if (t.budgetCents() != null && t.issuedFaceCents() + n * t.faceCents() > t.budgetCents()) {
            return BUDGET_CAP;
        }
        return null;
    }

    private Map<Long, Integer> held(long templateId, List<Long> customers) {
        Map<Long, Integer> counts = new HashMap<>();
        jdbc.sql("""
                        select customer_id, count(*) from coupon where template_id = ? and customer_id = any(?)
                        group by customer_id""")
                .params(templateId, customers.toArray(Long[]::new))
                .query(rs -> {
                    counts.put(rs.getLong(1), rs.getInt(2));
                });
        return counts;
    }

    private Optional<Issued> byKey(Issue issue) {
        Optional<Issued> found = Optional.ofNullable(byKeys(List.of(issue.issueKey().strip())).get(issue.issueKey().strip()));
        found.ifPresent(i -> {
            if (i.templateId() != issue.templateId() || i.customerId() != issue.customerId()) {
                throw ApiProblem.of(HttpStatus.CONFLICT,
                        Refusals.CODES.of("issueKey", "issueKeyUsed", "already used for another template or customer"));
            }
        });
        return found;
    }

    private Map<String, Issued> byKeys(Collection<String> keys) {
        Map<String, Issued> found = new HashMap<>();
        jdbc.sql("""
                        select id, code, template_id, customer_id, valid_from, valid_until, issue_key
                        from coupon where issue_key = any(?)""")
                .param(keys.toArray(String[]::new))
                .query(rs -> {
                    found.put(rs.getString("issue_key"), new Issued(rs.getLong("id"), rs.getString("code"),
                            rs.getLong("template_id"), rs.getLong("customer_id"),
                            JdbcCouponTemplates.instant(rs, "valid_from"), JdbcCouponTemplates.instant(rs, "valid_until"),
                            false));
                });
        return found;
    }

    /** Writes the coupons (codes retried on the unlikely collision), counts them on the template, appends the events. */
    private List<Issued> insert(CouponTemplate t, List<Long> customers, List<String> keys, String via, Instant now) {
        Instant from = t.validFrom() != null && t.validFrom().isAfter(now) ? t.validFrom() : now;
        Instant until = t.validUntil() != null ? t.validUntil() : now.plus(Duration.ofDays(t.validDays()));
        Map<String, Issued> byKey = new HashMap<>();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            List<Integer> batch = pending;
            String[] batchCodes = batch.stream().map(i -> codes.next()).toArray(String[]::new);
            jdbc.sql("""
                            insert into coupon (code, template_id, customer_id, issue_key, issued_via, issued_at,
                                                valid_from, valid_until, face_cents)
                            select u.code, ?, u.customer_id, u.issue_key, ?, ?, ?, ?, ?
                            from unnest(?::text[], ?::bigint[], ?::text[]) as u(code, customer_id, issue_key)
                            on conflict (code) do nothing
                            returning id, code, customer_id, issue_key""")
                    .params(t.id(), via, JdbcCouponTemplates.ts(now), JdbcCouponTemplates.ts(from),
                            JdbcCouponTemplates.ts(until), t.faceCents(), batchCodes,
                            batch.stream().map(customers::get).toArray(Long[]::new),
                            batch.stream().map(keys::get).toArray(String[]::new))
                    .query(rs -> {
                        byKey.put(rs.getString("issue_key"), new Issued(rs.getLong("id"), rs.getString("code"), t.id(),
                                rs.getLong("customer_id"), from, until, true));
                    });
            pending = batch.stream().filter(i -> !byKey.containsKey(keys.get(i))).toList();
        }
        jdbc.sql("update coupon_template set issued_count = issued_count + ?, issued_face_cents = issued_face_cents + ? "
                        + "where id = ?")
                .params(customers.size(), customers.size() * t.faceCents(), t.id()).update();
        List<Issued> issued = keys.stream().map(byKey::get).toList();
        feed.appendAll(issued.stream().map(i -> new EventFeed.NewEvent(TOPIC, "coupon.issued", i.customerId(), now,
                Map.of("couponId", i.couponId(), "templateId", t.id(), "via", via, "faceCents", t.faceCents(),
                        "validUntil", until.toString()))).toList());
        return issued;
    }
}
