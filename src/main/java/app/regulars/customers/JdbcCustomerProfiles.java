package app.regulars.customers;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.customers.CustomerProfile.KnownIdentity;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.EventFeed;
import app.regulars.platform.Pii;
import app.regulars.platform.RegularsProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Profiles: validated as a whole, written in one statement, announced on the feed without PII. */
@Service
@Transactional
class JdbcCustomerProfiles implements CustomerProfiles {

    private static final String SURVIVOR = "(select coalesce(merged_into, id) from customer where id = ?)";
    private static final int MAX_TEXT = 200;

    private final JdbcTemplate jdbc;
    private final JdbcCustomers customers;
    private final IdentityNormaliser normaliser;
    private final Pii pii;
    private final CustomFields fields;
    private final Consents consents;
    private final EventFeed feed;
    private final Clock clock;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final ZoneId defaultZone;

    JdbcCustomerProfiles(JdbcTemplate jdbc, JdbcCustomers customers, IdentityNormaliser normaliser, Pii pii,
                         CustomFields fields, Consents consents, EventFeed feed, Clock clock,
                         Catalog catalog, ObjectMapper json, RegularsProperties properties) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.normaliser = normaliser;
        this.pii = pii;
        this.fields = fields;
        this.consents = consents;
        this.feed = feed;
        this.clock = clock;
        this.catalog = catalog;
        this.json = json;
        this.defaultZone = properties.timezone() == null ? ZoneId.of("Asia/Shanghai") : properties.timezone();
    }

    /** Column values of a change, what changed (field names, for the feed) and identities to attach. */
    private record Prepared(Map<String, Object> columns, List<String> changed, IdentityClaim phone,
                            IdentityClaim card) {}

    @Override
    public Registration.Registered register(Registration r) {
        List<FieldError> errors = new ArrayList<>();
        Optional<Long> existing = Optional.empty();
        boolean identityOk = false;
        if (r.identity() == null || r.identity().isEmpty()) {
            errors.add(new FieldError("phone", "a phone, card number, WeChat id or external id is required"));
        } else {
            try {
                normaliser.claims(r.identity(), "");
                identityOk = true;
            } catch (ApiProblem p) {
                errors.addAll(p.errors());
            }
        }
        if (identityOk) {
            existing = customers.find(r.identity());
        }
        checkStore(r.registrationStoreId(), "registrationStoreId", errors);
        Prepared prepared = prepare(r.profile(), existing.orElse(null), errors);
        Map<String, Object> custom = customValues(existing.orElse(null), r.profile().custom(), existing.isEmpty(), errors);
        for (int i = 0; i < r.consents().size(); i++) {
            errors.addAll(JdbcConsents.check(r.consents().get(i), "consents[" + i + "]."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        long id = customers.resolveOrCreate(r.identity(), r.registrationStoreId(), blankToNull(r.registrationChannel()));
        write(id, prepared, custom);
        r.consents().forEach(c -> consents.record(id, c));
        return new Registration.Registered(profile(id).orElseThrow(), existing.isEmpty());
    }

    @Override
    public CustomerProfile update(long customerId, ProfileChange change) {
        long id = jdbc.query("select coalesce(merged_into, id) from customer where id = ?", (rs, i) -> rs.getLong(1),
                customerId).stream().findFirst().orElseThrow(() -> ApiProblem.notFound("customer " + customerId));
        jdbc.queryForObject("select id from customer where id = ? for update", Long.class, id);
        List<FieldError> errors = new ArrayList<>();
        Prepared prepared = prepare(change, id, errors);
        Map<String, Object> custom = customValues(id, change.custom(), change.custom() != null, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        write(id, prepared, custom);
        return profile(id).orElseThrow();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<CustomerProfile> profile(long customerId) {
        return jdbc.query("select * from customer where id = " + SURVIVOR, (rs, i) -> profileOf(rs), customerId)
                .stream().findFirst();
    }

    @Override
    @Transactional(readOnly = true)
    public Page newest(int page, int size) {
        int p = Math.max(0, page);
        int s = Math.clamp(size, 1, 200);
        List<CustomerSummary> rows = jdbc.query("""
                        select * from customer where merged_into is null
                        order by registered_at desc, id desc limit ? offset ?""",
                (rs, i) -> customers.summaryOf(rs), s + 1, (long) p * s);
        return new Page(rows.size() > s ? rows.subList(0, s) : rows, p, s, rows.size() > s);
    }

    @Override
    @Transactional(readOnly = true)
    public List<CustomerSummary> search(String query) {
        if (query == null || query.isBlank()) {
            return List.of();
        }
        if (PhoneNumber.tryParse(query).isPresent()) {
            return searchByPhone(query);
        }
        Map<Long, CustomerSummary> found = new LinkedHashMap<>();
        Stream.concat(searchByCard(query).stream(), searchByName(query).stream()).forEach(c -> found.putIfAbsent(c.id(), c));
        return List.copyOf(found.values());
    }

    @Override
    @Transactional(readOnly = true)
    public List<CustomerSummary> searchByPhone(String phone) {
        IdentityClaim claim = normaliser.claim(IdentityClaim.PHONE, "", PhoneNumber.parse(phone, "phone").value());
        return byIndex("phone_index", IdentityClaim.PHONE, claim.index());
    }

    @Override
    @Transactional(readOnly = true)
    public List<CustomerSummary> searchByCard(String cardNo) {
        String card = IdentityNormaliser.card(cardNo);
        if (card == null) {
            return List.of();
        }
        return byIndex("card_index", IdentityClaim.CARD, normaliser.claim(IdentityClaim.CARD, "", card).index());
    }

    @Override
    @Transactional(readOnly = true)
    public List<CustomerSummary> searchByName(String exactName) {
        byte[] index = normaliser.nameIndex(exactName);
        if (index == null) {
            return List.of();
        }
        return jdbc.query("select * from customer where name_index = ? and merged_into is null order by id desc limit 100",
                (rs, i) -> customers.summaryOf(rs), (Object) index);
    }

    /** Customers owning the identity, and those with it on their profile (duplicates show up here too). */
    private List<CustomerSummary> byIndex(String profileColumn, String kind, byte[] index) {
        return jdbc.query("""
                        select * from customer where merged_into is null and id in (
                            select coalesce(c.merged_into, c.id) from customer c where c.%s = ?
                            union
                            select coalesce(c.merged_into, c.id) from customer_identity i join customer c on c.id = i.customer_id
                            where i.kind = ? and i.source = '' and i.blind_index = ?)
                        order by id desc limit 100""".formatted(profileColumn),
                (rs, i) -> customers.summaryOf(rs), index, kind, index);
    }

    private Prepared prepare(ProfileChange c, Long self, List<FieldError> errors) {
        Map<String, Object> cols = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        if (c.name() != null) {
            String name = c.name().strip();
            if (name.length() > MAX_TEXT) {
                errors.add(new FieldError("name", "at most " + MAX_TEXT + " characters"));
            }
            cols.put("name", name.isEmpty() ? null : pii.encrypt(name, "customer.name"));
            cols.put("name_index", normaliser.nameIndex(name));
            changed.add("name");
        }
        IdentityClaim phone = null;
        if (c.phone() != null && !c.phone().isBlank()) {
            Optional<PhoneNumber> parsed = PhoneNumber.tryParse(c.phone());
            if (parsed.isEmpty()) {
                errors.add(PhoneNumber.parseError("phone"));
            } else {
                phone = normaliser.claim(IdentityClaim.PHONE, "", parsed.get().value());
                changed.add("phone");
            }
        }
        IdentityClaim card = null;
        String cardNo = IdentityNormaliser.card(c.cardNo());
        if (cardNo != null) {
            card = normaliser.claim(IdentityClaim.CARD, "", cardNo);
            changed.add("cardNo");
        }
        if (c.gender() != null) {
            String gender = gender(c.gender());
            if (gender == null && !c.gender().isBlank()) {
                errors.add(new FieldError("gender", "one of female, male, other"));
            }
            cols.put("gender", gender);
            changed.add("gender");
        }
        if (c.birthday() != null) {
            birthday(c.birthday(), cols, errors);
            changed.add("birthday");
        }
        if (c.address() != null) {
            String address = c.address().strip();
            cols.put("address", address.isEmpty() ? null : pii.encrypt(address, "customer.address"));
            changed.add("address");
        }
        text("region", c.region(), "region", cols, changed, errors);
        text("city", c.city(), "city", cols, changed, errors);
        if (c.homeStoreId() != null) {
            checkStore(c.homeStoreId(), "homeStoreId", errors);
            cols.put("home_store_id", c.homeStoreId());
            changed.add("homeStoreId");
        }
        if (c.advisorStaff() != null) {
            advisor(c.advisorStaff().strip(), c.homeStoreId() != null ? c.homeStoreId() : homeStore(self), cols, errors);
            changed.add("advisorStaff");
        }
        if (c.referrerCustomerId() != null) {
            Optional<Long> referrer = jdbc.query("select coalesce(merged_into, id) from customer where id = ?",
                    (rs, i) -> rs.getLong(1), c.referrerCustomerId()).stream().findFirst();
            if (referrer.isEmpty()) {
                errors.add(new FieldError("referrerCustomerId", "no such customer"));
            } else if (referrer.get().equals(self)) {
                errors.add(new FieldError("referrerCustomerId", "a customer cannot refer themselves"));
            } else {
                cols.put("referrer_customer_id", referrer.get());
                changed.add("referrerCustomerId");
            }
        }
        return new Prepared(cols, changed, phone, card);
    }

    /**
     * The custom values to store after a change: the stored ones of active fields with the change
     * applied, validated as a whole; values of deactivated fields are kept untouched. Null when
     * nothing is to be written.
     */
    private Map<String, Object> customValues(Long id, Map<String, String> change, boolean requireAll,
                                             List<FieldError> errors) {
        if (change == null && !requireAll) {
            return null;
        }
        Map<String, String> stored = id == null ? Map.of() : storedCustom(id);
        List<String> active = fields.definitions().stream().map(CustomField::key).toList();
        Map<String, String> merged = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            if (active.contains(k)) {
                merged.put(k, v);
            }
        });
        if (change != null) {
            merged.putAll(change);
        }
        CustomFields.Validated validated = fields.validate(merged, requireAll);
        errors.addAll(validated.errors());
        Map<String, Object> result = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            if (!active.contains(k)) {
                result.put(k, v);
            }
        });
        validated.values().forEach((k, v) -> result.put(k, v instanceof LocalDate d ? d.toString() : v));
        return result;
    }

    private Map<String, String> storedCustom(long id) {
        JsonNode node = readJson(jdbc.queryForObject("select custom::text from customer where id = ?", String.class, id));
        Map<String, String> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    private void write(long id, Prepared p, Map<String, Object> custom) {
        Map<String, Object> cols = new LinkedHashMap<>(p.columns());
        List<String> changed = new ArrayList<>(p.changed());
        if (p.phone() != null) {
            attach(id, p.phone());
            cols.put("phone", pii.encrypt(p.phone().value(), "customer.phone"));
            cols.put("phone_index", p.phone().index());
        }
        if (p.card() != null) {
            attach(id, p.card());
            cols.put("card_no", pii.encrypt(p.card().value(), "customer.card_no"));
            cols.put("card_index", p.card().index());
        }
        if (custom != null) {
            cols.put("custom", writeJson(custom));
            changed.add("custom");
        }
        if (cols.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        cols.put("updated_at", Timestamp.from(now));
        String set = cols.keySet().stream().map(k -> k.equals("custom") ? k + " = ?::jsonb" : k + " = ?")
                .collect(Collectors.joining(", "));
        List<Object> params = new ArrayList<>(cols.values());
        params.add(id);
        jdbc.update("update customer set " + set + " where id = ?", params.toArray());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("customerId", id);
        payload.put("changed", changed);
        feed.append(CustomerEvents.TOPIC, CustomerEvents.UPDATED, id, now, payload);
    }

    /**
     * Makes a new phone or card this customer's identity when no one else has it (the previous one of
     * the same kind is released). When another customer has it, it only goes on this profile, which
     * makes the two a duplicate candidate rather than silently moving someone's identity.
     */
    private void attach(long id, IdentityClaim claim) {
        jdbc.update("""
                        insert into customer_identity (kind, source, blind_index, value, customer_id)
                        values (?, ?, ?, ?, ?) on conflict do nothing""",
                claim.kind(), claim.source(), claim.index(), pii.encrypt(claim.value(), "customer_identity.value"), id);
        Long owner = jdbc.queryForObject("select customer_id from customer_identity where kind = ? and source = ? "
                + "and blind_index = ?", Long.class, claim.kind(), claim.source(), claim.index());
        if (owner != null && owner == id) {
            jdbc.update("delete from customer_identity where customer_id = ? and kind = ? and blind_index <> ?",
                    id, claim.kind(), claim.index());
        }
    }

    CustomerProfile profileOf(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        Long home = rs.getObject("home_store_id", Long.class);
        List<KnownIdentity> identities = jdbc.query(
                "select kind, source, value from customer_identity where customer_id = ? order by kind, source, created_at",
                (r, i) -> new KnownIdentity(r.getString(1), r.getString(2),
                        shown(r.getString(1), pii.decrypt(r.getBytes(3), "customer_identity.value"))), id);
        Map<String, Object> custom = new LinkedHashMap<>();
        readJson(rs.getString("custom")).properties().forEach(e -> custom.put(e.getKey(),
                e.getValue().isNumber() ? e.getValue().decimalValue() : e.getValue().asText()));
        return new CustomerProfile(id, pii.decrypt(rs.getBytes("name"), "customer.name"),
                PhoneNumber.mask(pii.decrypt(rs.getBytes("phone"), "customer.phone")),
                pii.decrypt(rs.getBytes("card_no"), "customer.card_no"), rs.getString("gender"),
                rs.getString("birth_mmdd"), rs.getString("age_band"), rs.getString("region"), rs.getString("city"),
                home, rs.getObject("registration_store_id", Long.class), rs.getString("registration_channel"),
                rs.getObject("referrer_customer_id", Long.class), rs.getObject("advisor_staff_id", Long.class), zoneOf(home),
                rs.getTimestamp("registered_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), custom,
                identities, rs.getBytes("address") != null, rs.getBytes("birthday") != null);
    }

    /** Identities as the console may show them: phones and WeChat ids masked. */
    private static String shown(String kind, String value) {
        return switch (kind) {
            case IdentityClaim.PHONE -> PhoneNumber.mask(value);
            case IdentityClaim.WECHAT_OPENID, IdentityClaim.WECHAT_UNIONID ->
                    value.length() <= 6 ? "****" : value.substring(0, 4) + "****" + value.substring(value.length() - 2);
            default -> value;
        };
    }

    /** The advisor is a staff code of the customer's home store (codes are unique per store). */
    private void advisor(String code, Long homeStoreId, Map<String, Object> cols, List<FieldError> errors) {
        if (code.isEmpty()) {
            cols.put("advisor_staff_id", null);
        } else if (homeStoreId == null) {
            errors.add(new FieldError("advisorStaff", "the customer needs a home store first"));
        } else {
            catalog.staff(homeStoreId, code).ifPresentOrElse(s -> cols.put("advisor_staff_id", s.id()),
                    () -> errors.add(new FieldError("advisorStaff", "no such staff at the home store")));
        }
    }

    private Long homeStore(Long customerId) {
        if (customerId == null) {
            return null;
        }
        return jdbc.queryForObject("select home_store_id from customer where id = ?", Long.class, customerId);
    }

    private ZoneId zoneOf(Long storeId) {
        if (storeId == null) {
            return defaultZone;
        }
        return catalog.store(storeId).map(Store::timezone).filter(z -> z != null).orElse(defaultZone);
    }

    private void checkStore(Long storeId, String field, List<FieldError> errors) {
        if (storeId != null && catalog.store(storeId).isEmpty()) {
            errors.add(new FieldError(field, "no such store"));
        }
    }

    private void birthday(String raw, Map<String, Object> cols, List<FieldError> errors) {
        if (raw.isBlank()) {
            cols.put("birthday", null);
            cols.put("birth_mmdd", null);
            cols.put("age_band", null);
            return;
        }
        LocalDate birthday;
        try {
            birthday = LocalDate.parse(raw.strip().replace('/', '-'));
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("birthday", "must be a date (yyyy-MM-dd)"));
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(defaultZone));
        if (birthday.isAfter(today) || birthday.getYear() < 1900) {
            errors.add(new FieldError("birthday", "must be a past date after 1900"));
            return;
        }
        cols.put("birthday", pii.encrypt(birthday.toString(), "customer.birthday"));
        cols.put("birth_mmdd", "%02d%02d".formatted(birthday.getMonthValue(), birthday.getDayOfMonth()));
        cols.put("age_band", ageBand(Period.between(birthday, today).getYears()));
    }

    /** Coarse enough to keep in the clear, fine enough for marketing (decision 0003). */
    static String ageBand(int age) {
        if (age < 18) {
            return "<18";
        }
        if (age < 25) {
            return "18-24";
        }
        if (age >= 65) {
            return "65+";
        }
        int low = 25 + (age - 25) / 10 * 10;
        return low + "-" + (low + 9);
    }

    private static String gender(String raw) {
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "female", "f", "女" -> "female";
            case "male", "m", "男" -> "male";
            case "other", "其他" -> "other";
            default -> null;
        };
    }

    private static void text(String column, String value, String field, Map<String, Object> cols, List<String> changed,
                             List<FieldError> errors) {
        if (value == null) {
            return;
        }
        String v = value.strip();
        if (v.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "at most " + MAX_TEXT + " characters"));
        }
        cols.put(column, v.isEmpty() ? null : v);
        changed.add(field);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text == null ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("customer.custom is not JSON", e);
        }
    }

    private String writeJson(Map<String, Object> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("custom values are not serialisable", e);
        }
    }
}
