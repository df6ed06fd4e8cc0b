package app.regulars.purchases.internal;

import static app.regulars.purchases.internal.SqlArrays.ints;
import static app.regulars.purchases.internal.SqlArrays.longs;
import static app.regulars.purchases.internal.SqlArrays.texts;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Sku;
import app.regulars.catalog.Store;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.EventFeed;
import app.regulars.purchases.InteractionDraft;
import app.regulars.purchases.InteractionIntake;
import app.regulars.purchases.InteractionResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Interactions in: checked first, then stored with their feed events in one transaction; idempotent. */
@Service
class InteractionRecorder implements InteractionIntake {

    static final String TOPIC = "interactions";
    static final Set<String> TYPES = Set.of("visit", "check_in", "page_view", "favourite", "add_to_cart", "search",
            "review", "survey_answer", "share", "message_sent", "message_clicked", "coupon_issued", "coupon_redeemed",
            "ticket");
    /** Detail is for facts; keys that usually carry personal data are refused rather than stored. */
    private static final Set<String> PERSONAL_KEYS = Set.of("phone", "mobile", "name", "address", "email", "birthday",
            "idcard", "id_card", "openid", "unionid", "wechat", "card", "cardno", "card_no");
    private static final int MAX_DETAIL_CHARS = 2_000;

    private record Key(String source, String externalId) {}

    private final Catalog catalog;
    private final Customers customers;
    private final EventFeed feed;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;

    InteractionRecorder(Catalog catalog, Customers customers, EventFeed feed, JdbcTemplate jdbc, TransactionTemplate tx,
                        Clock clock, ObjectMapper json) {
        this.catalog = catalog;
        this.customers = customers;
        this.feed = feed;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public InteractionResult record(InteractionDraft interaction) {
        return intake(List.of(interaction), i -> "").getFirst();
    }

    @Override
    public List<InteractionResult> recordAll(List<InteractionDraft> interactions) {
        return intake(interactions, i -> "events[" + i + "].");
    }

    private List<InteractionResult> intake(List<InteractionDraft> interactions, IntFunction<String> at) {
        if (interactions.isEmpty()) {
            return List.of();
        }
        // Checked before the transaction: the catalog answers stores from its cache only outside one.
        List<FieldError> errors = new ArrayList<>();
        Map<String, Store> stores = new HashMap<>();
        String[] details = new String[interactions.size()];
        Instant now = clock.instant();
        for (int i = 0; i < interactions.size(); i++) {
            details[i] = check(interactions.get(i), at.apply(i), now, stores, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return tx.execute(status -> record(interactions, details, stores));
    }

    /**
     * When each customer these interactions name joined, should they be new: at their earliest
     * interaction here, as a customer first seen on receipts joins at the earliest (history arrives late).
     */
    private static Map<Identity, Customers.Origin> joined(java.util.Collection<Integer> fresh,
                                                          List<InteractionDraft> drafts) {
        Map<Identity, Customers.Origin> origins = new LinkedHashMap<>();
        for (int i : fresh) {
            InteractionDraft d = drafts.get(i);
            origins.merge(d.customer(), new Customers.Origin(null, null, d.occurredAt()), Customers.Origin::earlier);
        }
        return origins;
    }

    /** Held as receipts are (see ReceiptIntake), so a merge running now moves these interactions too. */
    private Map<Identity, Long> living(Map<Identity, Long> people) {
        Map<Long, Long> living = customers.holdLiving(people.values());
        Map<Identity, Long> held = new HashMap<>();
        people.forEach((who, id) -> held.put(who, living.getOrDefault(id, id)));
        return held;
    }

    private List<InteractionResult> record(List<InteractionDraft> drafts, String[] details, Map<String, Store> stores) {
        List<Key> keys = drafts.stream().map(d -> new Key(d.source(), d.externalId())).toList();
        Map<Key, InteractionResult> before = find(new LinkedHashSet<>(keys));
        Map<Key, Integer> fresh = new LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            if (!before.containsKey(keys.get(i))) {
                fresh.putIfAbsent(keys.get(i), i);
            }
        }
        Map<Identity, Long> people = living(customers.resolveOrCreateAll(joined(fresh.values(), drafts)));
        Map<String, String> skuCodes = new HashMap<>();
        fresh.values().stream().map(i -> drafts.get(i).sku()).filter(s -> s != null && !s.isBlank())
                .forEach(s -> skuCodes.put(s, null));
        Map<String, Sku> skus = skuCodes.isEmpty() ? Map.of() : catalog.skusRegisteringUnknown(skuCodes);
        List<Integer> order = List.copyOf(fresh.values());
        Map<Key, Long> written = insert(order, drafts, details, people, stores, skus);
        Map<Key, InteractionResult> raced = find(fresh.keySet().stream().filter(k -> !written.containsKey(k))
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        List<EventFeed.NewEvent> events = new ArrayList<>();
        List<InteractionResult> results = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Key key = keys.get(i);
            InteractionResult old = before.containsKey(key) ? before.get(key) : raced.get(key);
            if (old != null) {
                results.add(old);
                continue;
            }
            InteractionDraft d = drafts.get(i);
            long customer = people.get(d.customer());
            boolean first = fresh.get(key) == i;
            results.add(new InteractionResult(d.externalId(), written.get(key), customer, first));
            if (first) {
                events.add(event(d, written.get(key), customer, stores, skus));
            }
        }
        feed.appendAll(events);
        return results;
    }

    private String check(InteractionDraft d, String at, Instant now, Map<String, Store> stores,
                         List<FieldError> errors) {
        if (d == null) {
            errors.add(new FieldError(at.isEmpty() ? "body" : at.substring(0, at.length() - 1), "required"));
            return null;
        }
        required(d.source(), at + "source", errors);
        required(d.externalId(), at + "externalId", errors);
        if (d.customer() == null || d.customer().isEmpty()) {
            errors.add(new FieldError(at + "customer", "an identity (phone, card, WeChat id or external id) is required"));
        }
        if (d.type() == null || !TYPES.contains(d.type())) {
            errors.add(new FieldError(at + "type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList())));
        }
        if (d.occurredAt() == null) {
            errors.add(new FieldError(at + "occurredAt", "required"));
        } else if (d.occurredAt().isAfter(now.plus(ReceiptChecks.FUTURE_TOLERANCE))) {
            errors.add(new FieldError(at + "occurredAt", "is more than a day in the future"));
        }
        if (d.rating() != null && (d.rating() < 1 || d.rating() > 5)) {
            errors.add(new FieldError(at + "rating", "must be between 1 and 5"));
        }
        if (d.storeCode() != null && !d.storeCode().isBlank()
                && stores.computeIfAbsent(d.storeCode(), c -> catalog.storeByCode(c).orElse(null)) == null) {
            errors.add(new FieldError(at + "storeCode", "unknown store"));
        }
        return detail(d.detail(), at, errors);
    }

    private String detail(Map<String, Object> detail, String at, List<FieldError> errors) {
        if (detail == null || detail.isEmpty()) {
            return "{}";
        }
        for (String key : detail.keySet()) {
            if (PERSONAL_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(at + "detail." + key, "personal data does not belong in an event's detail"));
            }
        }
        try {
            String text = json.writeValueAsString(detail);
            if (text.length() > MAX_DETAIL_CHARS) {
                errors.add(new FieldError(at + "detail", "longer than " + MAX_DETAIL_CHARS + " characters"));
            }
            return text;
        } catch (JsonProcessingException e) {
            errors.add(new FieldError(at + "detail", "not serialisable"));
            return null;
        }
    }

    private Map<Key, InteractionResult> find(Set<Key> keys) {
        Map<Key, InteractionResult> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("""
                    select i.id, i.source, i.external_id, i.customer_id
                    from interaction i join unnest(?::text[], ?::text[]) as k(source, external_id)
                      on i.source = k.source and i.external_id = k.external_id""");
            ps.setArray(1, texts(c, keys.stream().map(Key::source).toList()));
            ps.setArray(2, texts(c, keys.stream().map(Key::externalId).toList()));
            return ps;
        }, rs -> {
            found.put(new Key(rs.getString(2), rs.getString(3)),
                    new InteractionResult(rs.getString(3), rs.getLong(1), rs.getLong(4), false));
        });
        return found;
    }

    private Map<Key, Long> insert(List<Integer> order, List<InteractionDraft> drafts, String[] details,
                                  Map<Identity, Long> people, Map<String, Store> stores, Map<String, Sku> skus) {
        Map<Key, Long> ids = new HashMap<>();
        if (order.isEmpty()) {
            return ids;
        }
        List<InteractionDraft> rows = order.stream().map(drafts::get).toList();
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("""
                    insert into interaction (source, external_id, customer_id, type, occurred_at, store_id, sku_id,
                                             rating, detail)
                    select * from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[]::timestamptz[],
                                         ?::bigint[], ?::bigint[], ?::int[]::smallint[], ?::text[]::jsonb[])
                    on conflict (source, external_id) do nothing
                    returning id, source, external_id""");
            ps.setArray(1, texts(c, rows.stream().map(InteractionDraft::source).toList()));
            ps.setArray(2, texts(c, rows.stream().map(InteractionDraft::externalId).toList()));
            ps.setArray(3, longs(c, rows.stream().map(d -> people.get(d.customer())).toList()));
            ps.setArray(4, texts(c, rows.stream().map(InteractionDraft::type).toList()));
            ps.setArray(5, texts(c, rows.stream().map(d -> d.occurredAt().toString()).toList()));
            ps.setArray(6, longs(c, rows.stream().map(d -> storeId(d, stores)).toList()));
            ps.setArray(7, longs(c, rows.stream().map(d -> skuId(d, skus)).toList()));
            ps.setArray(8, ints(c, rows.stream().map(InteractionDraft::rating).toList()));
            ps.setArray(9, texts(c, order.stream().map(i -> details[i]).toList()));
            return ps;
        }, rs -> {
            ids.put(new Key(rs.getString(2), rs.getString(3)), rs.getLong(1));
        });
        return ids;
    }

    private EventFeed.NewEvent event(InteractionDraft d, long id, long customer, Map<String, Store> stores,
                                     Map<String, Sku> skus) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("interactionId", id);
        payload.put("type", d.type());
        payload.put("storeId", storeId(d, stores));
        payload.put("skuId", skuId(d, skus));
        payload.put("rating", d.rating());
        payload.put("detail", d.detail() == null ? Map.of() : d.detail());
        return new EventFeed.NewEvent(TOPIC, "interaction." + d.type(), customer, d.occurredAt(), payload);
    }

    private static Long storeId(InteractionDraft d, Map<String, Store> stores) {
        Store s = d.storeCode() == null ? null : stores.get(d.storeCode());
        return s == null ? null : s.id();
    }

    private static Long skuId(InteractionDraft d, Map<String, Sku> skus) {
        Sku s = d.sku() == null ? null : skus.get(d.sku());
        return s == null ? null : s.id();
    }

    private static void required(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "required"));
        } else if (value.length() > 64) {
            errors.add(new FieldError(field, "longer than 64 characters"));
        }
    }
}
