package app.regulars.customers;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Staff;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
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
    private final JdbcCustomerIdentities identities;
    private final IdentityNormaliser normaliser;
    private final Pii pii;
    private final CustomFields fields;
    private final JdbcConsents consents;
    private final EventFeed feed;
    private final Clock clock;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final ZoneId defaultZone;

    JdbcCustomerProfiles(JdbcTemplate jdbc, JdbcCustomers customers, JdbcCustomerIdentities identities,
                         IdentityNormaliser normaliser, Pii pii,
                         CustomFields fields, JdbcConsents consents, EventFeed feed, Clock clock,
                         Catalog catalog, ObjectMapper json, RegularsProperties properties) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.identities = identities;
        this.normaliser = normaliser;
        this.pii = pii;
        this.fields = fields;
        this.consents = consents;
        this.feed = feed;
        this.clock = clock;
        this.catalog = catalog;
        this.json = json;
        this.defaultZone = properties.timezone();
    }

    /** Column values of a change, what changed (field names, for the feed) and identities to attach. */
    private record Prepared(Map<String, Object> columns, List<String> changed, IdentityClaim phone,
                            IdentityClaim card) {}

    @Override
    public Registration.Registered register(Registration r) {
        Registration.Outcome outcome = registerAll(List.of(r)).getFirst();
        if (outcome.refused()) {
            throw ApiProblem.invalid(outcome.errors());
        }
        return new Registration.Registered(profile(outcome.customerId()).orElseThrow(), outcome.created());
    }

    @Override
    public List<Registration.Outcome> registerAll(List<Registration> registrations) {
        Batch batch = new Batch();
        List<Item> items = new ArrayList<>(registrations.size());
        for (int i = 0; i < registrations.size(); i++) {
            items.add(claim(i, registrations.get(i)));
        }
        for (List<Item> round : rounds(items)) {
            registerRound(round, batch);
        }
        return items.stream().map(Item::outcome).toList();
    }

    /** A registration on its way through a batch. */
    private static final class Item {
        final int index;
        final Registration registration;
        final List<IdentityClaim> claims; // empty when the identity is unusable (then errors say why)
        final List<FieldError> errors = new ArrayList<>();
        Long existing;
        Prepared prepared;
        Map<String, Object> custom;
        Instant registeredAt;
        Long id;

        Item(int index, Registration registration, List<IdentityClaim> claims) {
            this.index = index;
            this.registration = registration;
            this.claims = claims;
        }

        Registration.Outcome outcome() {
            return errors.isEmpty() ? new Registration.Outcome(index, id, existing == null, List.of())
                    : new Registration.Outcome(index, null, false, errors);
        }
    }

    /** Look-ups shared by a batch: custom field definitions read once, each advisor code resolved once. */
    private final class Batch {
        private List<CustomField> definitions;
        private final Map<String, Optional<Staff>> staff = new HashMap<>();

        List<CustomField> definitions() {
            if (definitions == null) {
                definitions = fields.definitions();
            }
            return definitions;
        }

        Optional<Staff> staff(long storeId, String code) {
            return staff.computeIfAbsent(storeId + "/" + code, k -> catalog.staff(storeId, code));
        }
    }

    /** What is stored of an existing customer that a change is judged against. */
    private record Stored(Map<String, String> custom, Long homeStoreId, Long registrationStoreId) {

        /** Whether the caller may see this customer, and so change their profile (as PATCH may). */
        boolean visibleTo(Caller caller) {
            return CustomerVisibility.visibleTo(caller, homeStoreId, registrationStoreId);
        }
    }

    private Item claim(int index, Registration r) {
        if (r.identity() == null || r.identity().isEmpty()) {
            Item item = new Item(index, r, List.of());
            item.errors.add(Refusals.CODES.of("phone", "identityRequired", "a phone, card number, WeChat id or external id is required"));
            return item;
        }
        try {
            return new Item(index, r, normaliser.claims(r.identity(), ""));
        } catch (ApiProblem p) {
            Item item = new Item(index, r, List.of());
            item.errors.addAll(p.errors());
            return item;
        }
    }

    /**
     * Splits a batch so that no round holds two registrations sharing an identity: the later one
     * must find the customer the earlier one made or changed, exactly as two calls of register would.
     * Files rarely repeat a customer, so a batch is almost always one round.
     */
    private static List<List<Item>> rounds(List<Item> items) {
        Map<IdentityClaim.Key, Integer> lastRound = new HashMap<>();
        List<List<Item>> rounds = new ArrayList<>();
        for (Item item : items) {
            int round = 0;
            for (IdentityClaim c : item.claims) {
                Integer r = lastRound.get(c.key());
                if (r != null) {
                    round = Math.max(round, r + 1);
                }
            }
            for (IdentityClaim c : item.claims) {
                lastRound.put(c.key(), round);
            }
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(item);
        }
        return rounds;
    }

    /**
     * One round: find who exists, judge every registration as register does, then create, write
     * profiles and record consents for the valid ones in a constant number of statements.
     */
    private void registerRound(List<Item> round, Batch batch) {
        Map<IdentityClaim.Key, Long> owners = customers.owners(round.stream().flatMap(i -> i.claims.stream())
                .collect(Collectors.toMap(IdentityClaim::key, c -> c, (a, b) -> a, LinkedHashMap::new)).values());
        List<Item> now = new ArrayList<>(round.size());
        List<Item> later = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Item item : round) {
            item.existing = item.claims.stream().map(c -> owners.get(c.key())).filter(o -> o != null)
                    .findFirst().orElse(null);
            // Two identities of one existing customer: the later registration must see the earlier's changes.
            (item.existing == null || seen.add(item.existing) ? now : later).add(item);
        }
        Map<Long, Stored> stored = stored(now.stream().map(i -> i.existing).filter(e -> e != null).toList());
        for (Item item : now) {
            judge(item, stored.get(item.existing), batch);
        }
        List<Item> valid = now.stream().filter(i -> i.errors.isEmpty()).toList();
        if (!valid.isEmpty()) {
            resolve(valid);
            hold(valid);
            writeAll(valid.stream().map(i -> new Change(i.id, i.prepared, i.custom)).toList());
            List<JdbcConsents.Given> given = new ArrayList<>();
            valid.forEach(i -> i.registration.consents().forEach(c -> given.add(new JdbcConsents.Given(i.id, c))));
            consents.recordAll(given);
        }
        if (!later.isEmpty()) {
            registerRound(later, batch);
        }
    }

    /** The checks of register, naming every wrong field; nothing is written here. */
    private void judge(Item item, Stored stored, Batch batch) {
        Registration r = item.registration;
        checkStore(r.registrationStoreId(), "registrationStoreId", item.errors);
        // A customer of stores the caller does not see keeps their profile: registering them again
        // records consents and finds them, as PATCH, which would answer 404, must not write for it (0004).
        boolean mayChange = stored == null || stored.visibleTo(Callers.current());
        ProfileChange change = mayChange ? r.profile() : ProfileChange.none();
        item.prepared = prepare(change, item.existing, () -> stored == null ? null : stored.homeStoreId(),
                item.errors, batch);
        item.custom = customValues(stored == null ? Map.of() : stored.custom(), change.custom(),
                item.existing == null, item.errors, batch);
        item.registeredAt = registeredAt(r.profile().registeredAt(), zoneOf(r.registrationStoreId()), item.errors);
        if (item.registeredAt != null && item.existing != null && mayChange) {
            // The member system knows when a customer joined better than the day we first saw them.
            item.prepared.columns().put("registered_at", Timestamp.from(item.registeredAt));
            item.prepared.changed().add("registeredAt");
        }
        for (int i = 0; i < r.consents().size(); i++) {
            item.errors.addAll(JdbcConsents.check(r.consents().get(i), "consents[" + i + "]."));
        }
    }

    /**
     * Finds or creates each valid registration's customer, registered with its store and channel, and
     * claims the phones and cards the profiles are given in the same statement: before the hold, as
     * every claim (0005).
     */
    private void resolve(List<Item> valid) {
        Map<Identity, Customers.Origin> origins = new LinkedHashMap<>();
        Map<Identity, List<IdentityClaim>> profileClaims = new HashMap<>();
        for (Item item : valid) {
            Identity identity = item.registration.identity();
            origins.putIfAbsent(identity, new Customers.Origin(item.registration.registrationStoreId(),
                    blankToNull(item.registration.registrationChannel()), item.registeredAt));
            List<IdentityClaim> given = Stream.of(item.prepared.phone(), item.prepared.card())
                    .filter(c -> c != null).toList();
            if (!given.isEmpty()) {
                profileClaims.put(identity, given);
            }
        }
        Map<Identity, Long> ids = customers.resolveOrCreateAll(origins, profileClaims);
        valid.forEach(i -> i.id = ids.get(i.registration.identity()));
    }

    /**
     * Locks the round's customers before anything is written for them, in id order and as strongly as
     * the round needs (consents lock "for update"), which also writes the profile fills resolving left.
     * WHY: the profile updates go one statement per set of changed columns and the consents after them,
     * each in id order on its own, so two batches could otherwise lock two customers in opposite order.
     */
    private void hold(List<Item> valid) {
        boolean consents = valid.stream().anyMatch(i -> !i.registration.consents().isEmpty());
        customers.hold(valid.stream().map(i -> i.id).distinct().toList(),
                consents ? JdbcCustomers.Strength.UPDATE : JdbcCustomers.Strength.NO_KEY_UPDATE);
    }

    private Map<Long, Stored> stored(List<Long> ids) {
        Map<Long, Stored> stored = new HashMap<>();
        if (!ids.isEmpty()) {
            SqlArrays.query(jdbc, "select id, custom::text, home_store_id, registration_store_id from customer"
                            + " where id = any(?)",
                    (rs, i) -> stored.put(rs.getLong(1), new Stored(customOf(rs.getString(2)),
                            rs.getObject(3, Long.class), rs.getObject(4, Long.class))),
                    SqlArrays.Column.bigint(ids));
        }
        return stored;
    }

    /*
     * WHY THE CLAIM BEFORE THE LOCK: the intake claims identities and then holds its customers; an edit
     * locking the customer and then claiming the card a till was giving it waited for that till while
     * the till waited for the customer. A claim made for a customer merged before the lock follows it.
     */
    @Override
    public CustomerProfile update(long customerId, ProfileChange change) {
        long found = customers.livingId(customerId);
        List<IdentityClaim> given = Stream.of(phone(change), card(change)).filter(c -> c != null).toList();
        customers.claimFor(found, given);
        long id = customers.lockLiving(found);
        if (id != found && !given.isEmpty()) {
            jdbc.update("update customer_identity set customer_id = ? where customer_id = ?", id, found);
        }
        List<FieldError> errors = new ArrayList<>();
        Batch batch = new Batch();
        Prepared prepared = prepare(change, id, () -> homeStore(id), errors, batch);
        Map<String, Object> custom = customValues(change.custom() == null ? Map.of() : storedCustom(id),
                change.custom(), change.custom() != null, errors, batch);
        if (change.registeredAt() != null && !change.registeredAt().isBlank()) {
            Instant joined = registeredAt(change.registeredAt(), profile(id).orElseThrow().timezone(), errors);
            if (joined != null) {
                prepared.columns().put("registered_at", Timestamp.from(joined));
                prepared.changed().add("registeredAt");
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        writeAll(List.of(new Change(id, prepared, custom)));
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
    public Page newest(int page, int size, Set<Long> storeIds) {
        int p = Math.max(0, page);
        int s = Math.clamp(size, 1, 200);
        Long[] stores = storeIds == null ? null : storeIds.toArray(Long[]::new);
        List<CustomerSummary> rows = jdbc.query(c -> {
            var ps = c.prepareStatement("""
                    select * from customer where merged_into is null
                      and (?::bigint[] is null or home_store_id = any(?) or registration_store_id = any(?))
                    order by registered_at desc, id desc limit ? offset ?""");
            var array = stores == null ? null : c.createArrayOf("bigint", stores);
            ps.setArray(1, array);
            ps.setArray(2, array);
            ps.setArray(3, array);
            ps.setInt(4, s + 1);
            ps.setLong(5, (long) p * s);
            return ps;
        }, (rs, i) -> customers.summaryOf(rs));
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

    /** @param selfHome the home store of the customer as stored (null for a new one), read only when needed */
    private Prepared prepare(ProfileChange c, Long self, Supplier<Long> selfHome, List<FieldError> errors,
                             Batch batch) {
        Map<String, Object> cols = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        if (c.name() != null) {
            String name = c.name().strip();
            if (name.length() > MAX_TEXT) {
                errors.add(Refusals.CODES.of("name", "tooLong", MAX_TEXT, "at most " + MAX_TEXT + " characters"));
            }
            cols.put("name", name.isEmpty() ? null : pii.encrypt(name, "customer.name"));
            cols.put("name_index", normaliser.nameIndex(name));
            changed.add("name");
        }
        IdentityClaim phone = phone(c);
        if (phone != null) {
            changed.add("phone");
        } else if (c.phone() != null && !c.phone().isBlank()) {
            errors.add(PhoneNumber.parseError("phone"));
        }
        IdentityClaim card = card(c);
        if (card != null) {
            changed.add("cardNo");
        }
        if (c.gender() != null) {
            String gender = gender(c.gender());
            if (gender == null && !c.gender().isBlank()) {
                errors.add(Refusals.CODES.of("gender", "gender", "one of female, male, other"));
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
            advisor(c.advisorStaff().strip(), c.homeStoreId() != null ? c.homeStoreId() : selfHome.get(), cols, errors,
                    batch);
            changed.add("advisorStaff");
        }
        if (c.referrerCustomerId() != null) {
            Optional<Long> referrer = jdbc.query("select coalesce(merged_into, id) from customer where id = ?",
                    (rs, i) -> rs.getLong(1), c.referrerCustomerId()).stream().findFirst();
            if (referrer.isEmpty()) {
                errors.add(Refusals.CODES.of("referrerCustomerId", "noSuchCustomer", "no such customer"));
            } else if (referrer.get().equals(self)) {
                errors.add(Refusals.CODES.of("referrerCustomerId", "selfReferral", "a customer cannot refer themselves"));
            } else {
                cols.put("referrer_customer_id", referrer.get());
                changed.add("referrerCustomerId");
            }
        }
        return new Prepared(cols, changed, phone, card);
    }

    /** The phone a change gives, normalised; null when none, or when it cannot be (prepare says so). */
    private IdentityClaim phone(ProfileChange c) {
        if (c.phone() == null || c.phone().isBlank()) {
            return null;
        }
        return PhoneNumber.tryParse(c.phone()).map(p -> normaliser.claim(IdentityClaim.PHONE, "", p.value()))
                .orElse(null);
    }

    /** The member card a change gives, normalised; null when none. */
    private IdentityClaim card(ProfileChange c) {
        String cardNo = IdentityNormaliser.card(c.cardNo());
        return cardNo == null ? null : normaliser.claim(IdentityClaim.CARD, "", cardNo);
    }

    /**
     * The custom values to store after a change: the stored ones of active fields with the change
     * applied, validated as a whole; values of deactivated fields are kept untouched. Null when
     * nothing is to be written.
     */
    private Map<String, Object> customValues(Map<String, String> stored, Map<String, String> change,
                                             boolean requireAll, List<FieldError> errors, Batch batch) {
        if (change == null && !requireAll) {
            return null;
        }
        Set<String> active = batch.definitions().stream().map(CustomField::key).collect(Collectors.toSet());
        Map<String, String> merged = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            if (active.contains(k)) {
                merged.put(k, v);
            }
        });
        if (change != null) {
            merged.putAll(change);
        }
        CustomFields.Validated validated = fields.validate(merged, requireAll, batch.definitions());
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
        return customOf(jdbc.queryForObject("select custom::text from customer where id = ?", String.class, id));
    }

    private Map<String, String> customOf(String text) {
        JsonNode node = readJson(text);
        Map<String, String> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    /** A judged change to write: the prepared columns and the custom values (null: leave them). */
    private record Change(long id, Prepared prepared, Map<String, Object> custom) {}

    /**
     * Writes changes in one update per set of changed columns (a batch of similar registrations is
     * one statement), rows in id order so concurrent batches lock them in the same order, and
     * announces them in one feed append. Only fields whose value differs from the stored one are written
     * and announced ({@link StoredProfile}): a change with nothing new writes and announces nothing, nor
     * does the profile of a customer this transaction created.
     */
    private void writeAll(List<Change> changes) {
        Instant now = clock.instant();
        Map<List<String>, List<Map<String, Object>>> bySignature = new LinkedHashMap<>();
        List<EventFeed.NewEvent> events = new ArrayList<>();
        Map<Long, StoredProfile> stored = storedProfiles(changes);
        for (Change change : changes.stream().sorted(Comparator.comparingLong(Change::id)).toList()) {
            Prepared p = change.prepared();
            Map<String, Object> cols = new LinkedHashMap<>(p.columns());
            List<String> changed = new ArrayList<>(p.changed());
            if (p.phone() != null) {
                cols.put("phone", pii.encrypt(p.phone().value(), "customer.phone"));
                cols.put("phone_index", p.phone().index());
            }
            if (p.card() != null) {
                cols.put("card_no", pii.encrypt(p.card().value(), "customer.card_no"));
                cols.put("card_index", p.card().index());
            }
            if (change.custom() != null) {
                cols.put("custom", writeJson(change.custom()));
                changed.add("custom");
            }
            if (stored.containsKey(change.id())) {
                stored.get(change.id()).dropUnchanged(cols, changed);
            }
            // Rare (a profile changing its phone or card): a few statements of their own.
            if (cols.containsKey("phone_index")) {
                releasePrevious(change.id(), p.phone());
            }
            if (cols.containsKey("card_index")) {
                releasePrevious(change.id(), p.card());
            }
            if (cols.isEmpty()) {
                continue;
            }
            cols.put("id", change.id());
            bySignature.computeIfAbsent(cols.keySet().stream().sorted().toList(), k -> new ArrayList<>()).add(cols);
            if (customers.createdHere(change.id())) {
                continue; // announced once, as created: its profile commits with its creation
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("customerId", change.id());
            payload.put("changed", changed);
            events.add(new EventFeed.NewEvent(CustomerEvents.TOPIC, CustomerEvents.UPDATED, change.id(), now, payload));
        }
        bySignature.forEach((columns, rows) -> update(columns, rows, now));
        if (!events.isEmpty()) {
            feed.appendAll(events);
        }
    }

    /** The stored profiles of the changes' customers, except those this transaction created (all new). */
    private Map<Long, StoredProfile> storedProfiles(List<Change> changes) {
        List<Long> ids = changes.stream().map(Change::id).filter(id -> !customers.createdHere(id)).distinct().toList();
        Map<Long, StoredProfile> stored = new HashMap<>();
        if (!ids.isEmpty()) {
            SqlArrays.query(jdbc, "select " + StoredProfile.COLUMNS + " from customer where id = any(?)", (rs, i) ->
                    stored.put(rs.getLong("id"), StoredProfile.read(rs, pii, json)), SqlArrays.Column.bigint(ids));
        }
        return stored;
    }

    /** One "update … from unnest(…)" for rows changing the same columns. */
    private void update(List<String> columns, List<Map<String, Object>> rows, Instant now) {
        List<String> set = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        params.add(Timestamp.from(now));
        for (String column : columns) {
            String type = COLUMN_TYPES.get(column);
            if (!column.equals("id")) {
                set.add(column + " = u." + column + (column.equals("custom") ? "::jsonb" : ""));
            }
            arrays.add("?::" + type + "[]");
            Object[] values = switch (type) {
                case "bytea" -> new byte[rows.size()][];
                case "bigint" -> new Long[rows.size()];
                case "timestamptz" -> new Timestamp[rows.size()];
                default -> new String[rows.size()];
            };
            for (int i = 0; i < rows.size(); i++) {
                values[i] = rows.get(i).get(column);
            }
            params.add(new SqlArrays.Column(type, values));
        }
        SqlArrays.update(jdbc, "update customer c set updated_at = ?, " + String.join(", ", set) + " from unnest("
                + String.join(", ", arrays) + ") as u(" + String.join(", ", columns) + ") where c.id = u.id",
                params.toArray());
    }

    /** The array element type of each column a change may write. */
    private static final Map<String, String> COLUMN_TYPES = Map.ofEntries(
            Map.entry("id", "bigint"), Map.entry("name", "bytea"), Map.entry("name_index", "bytea"),
            Map.entry("gender", "text"), Map.entry("birthday", "bytea"), Map.entry("birth_mmdd", "text"),
            Map.entry("age_band", "text"), Map.entry("address", "bytea"), Map.entry("region", "text"),
            Map.entry("city", "text"), Map.entry("home_store_id", "bigint"), Map.entry("advisor_staff_id", "bigint"),
            Map.entry("referrer_customer_id", "bigint"), Map.entry("phone", "bytea"), Map.entry("phone_index", "bytea"),
            Map.entry("card_no", "bytea"), Map.entry("card_index", "bytea"), Map.entry("custom", "text"),
            Map.entry("registered_at", "timestamptz"));

    /**
     * A new phone or card, claimed for this customer before it was locked, is its identity now when no
     * one else had it: the previous one of the same kind is released. When another customer has it, it
     * only goes on this profile, which makes the two a duplicate candidate rather than silently moving
     * someone's identity.
     */
    private void releasePrevious(long id, IdentityClaim claim) {
        // A list: its owner may have released it since the claim lost to them.
        List<Long> owner = jdbc.queryForList("select customer_id from customer_identity where kind = ? and source = ? "
                + "and blind_index = ?", Long.class, claim.kind(), claim.source(), claim.index());
        if (owner.equals(List.of(id))) {
            jdbc.update("delete from customer_identity where customer_id = ? and kind = ? and blind_index <> ?",
                    id, claim.kind(), claim.index());
        }
    }

    CustomerProfile profileOf(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        Long home = rs.getObject("home_store_id", Long.class);
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
                identities.ofLiving(id), rs.getBytes("address") != null, rs.getBytes("birthday") != null);
    }

    /** The advisor is a staff code of the customer's home store (codes are unique per store). */
    private void advisor(String code, Long homeStoreId, Map<String, Object> cols, List<FieldError> errors,
                         Batch batch) {
        if (code.isEmpty()) {
            cols.put("advisor_staff_id", null);
        } else if (homeStoreId == null) {
            errors.add(Refusals.CODES.of("advisorStaff", "advisorWithoutHomeStore", "the customer needs a home store first"));
        } else {
            batch.staff(homeStoreId, code).ifPresentOrElse(s -> cols.put("advisor_staff_id", s.id()),
                    () -> errors.add(Refusals.CODES.of("advisorStaff", "noSuchAdvisor", "no such staff at the home store")));
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
            errors.add(Refusals.CODES.of(field, "noSuchStore", "no such store"));
        }
    }

    /** Members of chains that old exist; an earlier year is a typing slip (0202 for 2020). */
    private static final int EARLIEST_REGISTRATION_YEAR = 1950;

    /**
     * When a registration says its customer joined; null when it does not say, or says it unreadably
     * (then errors name the field). A time up to an hour ahead (a till's clock) counts as now.
     */
    private Instant registeredAt(String raw, ZoneId zone, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = instant(raw.strip(), zone);
        } catch (DateTimeParseException e) {
            errors.add(Refusals.CODES.of("registeredAt", "notDateTime",
                    "not a date (yyyy-MM-dd) or a date and time (yyyy-MM-ddTHH:mm:ss, with or without an offset)"));
            return null;
        }
        Instant now = clock.instant();
        if (at.isAfter(now.plus(Duration.ofHours(1)))
                || at.atZone(defaultZone).getYear() < EARLIEST_REGISTRATION_YEAR) {
            errors.add(Refusals.CODES.of("registeredAt", "implausibleRegistration", "not a past time after 1950"));
            return null;
        }
        return at.isAfter(now) ? now : at;
    }

    /** A date (the day's start in the zone), a local date and time (in the zone), or one with an offset. */
    private static Instant instant(String text, ZoneId zone) {
        String iso = text.replace('/', '-');
        if (iso.length() <= 10) {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        }
        iso = iso.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
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
            errors.add(Refusals.CODES.of("birthday", "notDate", "must be a date (yyyy-MM-dd)"));
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(defaultZone));
        if (birthday.isAfter(today) || birthday.getYear() < 1900) {
            errors.add(Refusals.CODES.of("birthday", "implausibleBirthday", "must be a past date after 1900"));
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
            errors.add(Refusals.CODES.of(field, "tooLong", MAX_TEXT, "at most " + MAX_TEXT + " characters"));
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
