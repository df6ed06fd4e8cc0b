package app.regulars.customers;

import app.regulars.catalog.Catalog;
import app.regulars.customers.IdentityClaim.Key;
import app.regulars.customers.SqlArrays.Column;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.EventFeed;
import app.regulars.platform.Pii;
import app.regulars.platform.RegularsProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Recognises customers by their identities and creates the unknown ones. A batch costs a constant
 * number of round trips (one when every identity is known, the common case at the till), and
 * concurrent callers racing on one identity end with one customer: new identities are claimed with
 * "insert … on conflict do nothing" under the table's unique key, and the losers read the winner.
 * Resolving locks no existing customer; the caller's hold does, in id order (see {@link #hold}).
 */
@Service
@Transactional
class JdbcCustomers implements Customers {

    static final String FIELD_PREFIX = "customer.";
    private static final Comparator<IdentityClaim> LOCK_ORDER = Comparator
            .comparing(IdentityClaim::kind).thenComparing(IdentityClaim::source)
            .thenComparing(c -> HexFormat.of().formatHex(c.index()));

    private static final String OWNERS = """
            select i.kind, i.source, i.blind_index, coalesce(c.merged_into, c.id) as customer_id
            from customer_identity i join customer c on c.id = i.customer_id
            where (i.kind, i.source, i.blind_index) in (select * from unnest(?::text[], ?::text[], ?::bytea[]))""";

    private final JdbcTemplate jdbc;
    private final IdentityNormaliser normaliser;
    private final Pii pii;
    private final EventFeed feed;
    private final Clock clock;
    private final Catalog catalog;
    private final ZoneId zone;
    private final Object pendingKey = new Object(); // this transaction's Pending, as a transaction resource

    JdbcCustomers(JdbcTemplate jdbc, IdentityNormaliser normaliser, Pii pii, EventFeed feed, Clock clock,
                  Catalog catalog, RegularsProperties properties) {
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.normaliser = normaliser;
        this.pii = pii;
        this.feed = feed;
        this.clock = clock;
        this.zone = properties.timezone();
    }

    @Override
    public long resolveOrCreate(Identity identity, Long registrationStoreId, String registrationChannel) {
        return resolveOrCreateAll(List.of(identity), registrationStoreId, registrationChannel).get(identity);
    }

    @Override
    public Map<Identity, Long> resolveOrCreateAll(Collection<Identity> identities, Long registrationStoreId,
                                                  String registrationChannel) {
        Origin origin = new Origin(registrationStoreId, registrationChannel);
        Map<Identity, Origin> origins = new LinkedHashMap<>();
        identities.forEach(identity -> origins.putIfAbsent(identity, origin));
        return resolveOrCreateAll(origins);
    }

    /*
     * WHY NO PROFILE WRITE HERE: the caller holds its customers afterwards, in id order (holdLiving);
     * writing a known customer's profile now would lock that row first, out of order, and two batches
     * naming two customers in opposite order (or a batch and a merge) would each wait for the other.
     */
    @Override
    public Map<Identity, Long> resolveOrCreateAll(Map<Identity, Origin> identities) {
        return resolveOrCreateAll(identities, Map.of());
    }

    /**
     * {@link #resolveOrCreateAll(Map)}, also claiming for each identity's customer the phone and card
     * its profile is being given ({@code profileClaims}, by identity), in the same statement as the rest:
     * a registration claiming them after it holds its customers would lock in the reverse order.
     */
    Map<Identity, Long> resolveOrCreateAll(Map<Identity, Origin> identities,
                                           Map<Identity, List<IdentityClaim>> profileClaims) {
        checkStores(identities.values());
        Map<Identity, List<IdentityClaim>> claimsOf = new LinkedHashMap<>();
        for (Identity identity : identities.keySet()) {
            claimsOf.put(identity, normaliser.claims(identity, FIELD_PREFIX));
        }
        Map<Key, Long> owners = owners(distinct(claimsOf.values().stream().flatMap(List::stream).toList()));

        Map<Identity, Long> resolved = new LinkedHashMap<>();
        Map<Key, Identity> unknown = new LinkedHashMap<>(); // by the claim a new customer is created under
        for (var e : claimsOf.entrySet()) {
            Long owner = firstOwner(e.getValue(), owners);
            if (owner != null) {
                resolved.put(e.getKey(), owner);
            } else {
                unknown.putIfAbsent(e.getValue().getFirst().key(), e.getKey());
            }
        }
        List<NewClaim> planned = plan(unknown, claimsOf, profileClaims, resolved, owners);
        Map<Key, Long> won = claimAll(planned);
        Pending pending = pending();
        Set<Long> created = create(unknown, claimsOf, won, identities);
        pending.created.addAll(created);
        if (!unknown.isEmpty()) {
            settle(planned.subList(0, unknown.size()), planned, won, owners);
            for (var e : claimsOf.entrySet()) {
                resolved.computeIfAbsent(e.getKey(), i -> owners.get(e.getValue().getFirst().key()));
            }
        }
        noteFills(claimsOf, resolved, owners, created, pending.fills);
        return resolved;
    }

    private void checkStores(Collection<Origin> origins) {
        boolean unknownStore = origins.stream().map(o -> o == null ? null : o.registrationStoreId()).distinct()
                .anyMatch(id -> id != null && catalog.store(id).isEmpty()); // cached, no round trip
        if (unknownStore) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of("registrationStoreId", "noSuchStore", "no such store")));
        }
    }

    /*
     * WHY KEY SHARE: a merge locks both customers "for update" before moving anything, which conflicts
     * with it, while concurrent tills holding one customer do not block each other. Rows are locked in id
     * order (as the merge locks them); a merged row leads to its survivor, locked in the next round. A
     * hold that will write profile fills takes "for no key update" instead (see hold).
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<Long, Long> holdLiving(Collection<Long> customerIds) {
        return hold(customerIds, Strength.KEY_SHARE);
    }

    /**
     * WHY "FOR NO KEY UPDATE" FROM THE START: a row held for key share and then updated is an upgrade,
     * and two batches upgrading in turn can each wait for the other (see {@link #hold}). Live tills hold
     * for key share, which this does not block.
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<Long, Long> holdLivingJoinedBy(Collection<Long> customerIds, Map<Long, Instant> earliestPurchases) {
        Set<Long> all = new HashSet<>(customerIds);
        all.addAll(earliestPurchases.keySet());
        Map<Long, Instant> registered = new HashMap<>(); // as the lock read them
        Map<Long, Long> living = hold(all, Strength.NO_KEY_UPDATE, registered);
        Map<Long, Instant> joined = new TreeMap<>();
        earliestPurchases.forEach((id, at) -> {
            Long survivor = living.get(id);
            Instant stored = survivor == null ? null : registered.get(survivor);
            if (stored != null && at.isBefore(stored)) { // customers made in this transaction joined right
                joined.merge(survivor, at, (a, b) -> a.isBefore(b) ? a : b);
            }
        });
        backdate(joined);
        return living;
    }

    /** Moves these held customers' joining back to the given times; announces each. */
    private void backdate(Map<Long, Instant> joined) {
        if (joined.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        SqlArrays.update(jdbc, """
                        update customer c set registered_at = u.at, updated_at = ?
                        from unnest(?::bigint[], ?::timestamptz[]) as u(id, at) where c.id = u.id""",
                Timestamp.from(now), Column.bigint(List.copyOf(joined.keySet())),
                Column.timestamptz(List.copyOf(joined.values())));
        List<EventFeed.NewEvent> events = new ArrayList<>(joined.size());
        for (Long id : joined.keySet()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("customerId", id);
            payload.put("changed", List.of("registeredAt"));
            events.add(new EventFeed.NewEvent(CustomerEvents.TOPIC, CustomerEvents.UPDATED, id, now, payload));
        }
        if (!events.isEmpty()) {
            feed.appendAll(events);
        }
    }

    /** How strongly {@link #hold} locks: enough for everything the holder will do to the rows. */
    enum Strength {
        /** Rows pointing at the customers are written (receipts): only a merge must wait. */
        KEY_SHARE("key share"),
        /** The customers' own rows are written too (profiles). */
        NO_KEY_UPDATE("no key update"),
        /** No one else may hold them at all until the commit (consents, as a merge locks). */
        UPDATE("update");

        final String sql;

        Strength(String sql) {
            this.sql = sql;
        }
    }

    /**
     * {@link #holdLiving} at a given strength, then the profile fills that resolving left for these
     * customers. WHY ONE PASS AT THE STRONGEST LOCK: locking for key share and then updating the row
     * is an upgrade, and two transactions upgrading in turn can each wait for the other; customers
     * with a fill pending are therefore held "for no key update" from the start, still in id order.
     * Customers this transaction created need no lock: no one else sees them before the commit.
     */
    Map<Long, Long> hold(Collection<Long> customerIds, Strength asked) {
        return hold(customerIds, asked, null);
    }

    /** @param registered when not null, receives each locked customer's registered_at (read with the lock, free) */
    private Map<Long, Long> hold(Collection<Long> customerIds, Strength asked, Map<Long, Instant> registered) {
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(pendingKey);
        Map<Long, Long> next = new HashMap<>(); // id → itself when living, else the customer it was merged into
        Set<Long> ask = new TreeSet<>();
        for (Long id : customerIds) {
            if (pending != null && pending.created.contains(id)) {
                next.put(id, id);
            } else {
                ask.add(id);
            }
        }
        boolean fills = pending != null && customerIds.stream().anyMatch(pending.fills::containsKey);
        lock(ask, fills && asked == Strength.KEY_SHARE ? Strength.NO_KEY_UPDATE : asked, next, registered);
        if (fills) {
            fillProfiles(heldFills(pending.fills, customerIds, next));
        }
        return living(customerIds, next);
    }

    private static Map<Long, Long> living(Collection<Long> customerIds, Map<Long, Long> next) {
        Map<Long, Long> living = new HashMap<>();
        for (Long id : customerIds) {
            Long survivor = survivor(id, next);
            if (survivor != null) {
                living.put(id, survivor);
            }
        }
        return living;
    }

    /** Locks the rows in id order, round by round following merged ones to their survivors. */
    private void lock(Set<Long> ids, Strength strength, Map<Long, Long> next, Map<Long, Instant> registered) {
        Set<Long> ask = ids;
        for (int round = 0; !ask.isEmpty() && round < 16; round++) {
            Set<Long> following = new TreeSet<>();
            SqlArrays.query(jdbc, "select id, merged_into, registered_at from customer where id = any(?) order by id for "
                            + strength.sql,
                    (rs, i) -> {
                        long id = rs.getLong(1);
                        Long into = rs.getObject(2, Long.class);
                        next.put(id, into == null ? id : into);
                        if (registered != null) {
                            registered.put(id, rs.getTimestamp(3).toInstant());
                        }
                        if (into != null && !next.containsKey(into)) {
                            following.add(into);
                        }
                        return null;
                    }, Column.bigint(List.copyOf(ask)));
            ask = following;
        }
    }

    /** Takes the held customers' fills out of the pending ones, each onto its survivor, in id order. */
    private static Map<Long, IdentityClaim[]> heldFills(Map<Long, IdentityClaim[]> pending, Collection<Long> held,
                                                        Map<Long, Long> next) {
        Map<Long, IdentityClaim[]> fills = new TreeMap<>();
        for (Long id : held) {
            IdentityClaim[] fill = pending.remove(id);
            Long survivor = fill == null ? null : survivor(id, next);
            if (survivor != null) {
                IdentityClaim[] into = fills.computeIfAbsent(survivor, s -> new IdentityClaim[2]);
                for (int k = 0; k < into.length; k++) {
                    into[k] = into[k] == null ? fill[k] : into[k];
                }
            }
        }
        return fills;
    }

    /**
     * Whether the current transaction created this customer. Its {@code customer.created} is on the feed
     * already and is read, as every consumer reads it, as "this customer as committed".
     */
    boolean createdHere(long customerId) {
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(pendingKey);
        return pending != null && pending.created.contains(customerId);
    }

    /**
     * What resolving left in the current transaction for a hold to finish: profile fills waiting for
     * their customers' locks ({phone, card} by customer), and the customers it created.
     */
    private static final class Pending {
        final Map<Long, IdentityClaim[]> fills = new HashMap<>();
        final Set<Long> created = new HashSet<>();
    }

    /**
     * This transaction's {@link Pending}, made on first use. A caller that never holds the customers
     * it resolved (a test, a lone resolveOrCreate) still gets its fills: held and written just before
     * the commit, in id order, as the last locks the transaction takes.
     */
    private Pending pending() {
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(pendingKey);
        if (pending != null) {
            return pending;
        }
        Pending fresh = new Pending();
        TransactionSynchronizationManager.bindResource(pendingKey, fresh);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                if (!fresh.fills.isEmpty()) {
                    hold(List.copyOf(fresh.fills.keySet()), Strength.NO_KEY_UPDATE);
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(pendingKey);
            }
        });
        return fresh;
    }

    /** Where the pointers lead from this id to a living customer; null for an unknown id. */
    private static Long survivor(Long id, Map<Long, Long> next) {
        Long at = id;
        for (int hops = 0; at != null && hops < 16; hops++) {
            Long to = next.get(at);
            if (at.equals(to)) {
                return at;
            }
            at = to;
        }
        return null;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<Long> find(Identity identity) {
        List<IdentityClaim> claims = normaliser.claims(identity, FIELD_PREFIX);
        return Optional.ofNullable(firstOwner(claims, owners(claims)));
    }

    @Override
    @Transactional(readOnly = true)
    public Map<Identity, Long> findAll(Collection<Identity> identities) {
        Map<Identity, List<IdentityClaim>> claimsOf = new LinkedHashMap<>();
        identities.forEach(i -> claimsOf.computeIfAbsent(i, x -> normaliser.claims(x, FIELD_PREFIX)));
        Map<Key, Long> owners = owners(distinct(claimsOf.values().stream().flatMap(List::stream).toList()));
        Map<Identity, Long> found = new LinkedHashMap<>();
        claimsOf.forEach((identity, claims) -> {
            Long owner = firstOwner(claims, owners);
            if (owner != null) {
                found.put(identity, owner);
            }
        });
        return found;
    }

    /*
     * WHY SUPPORTS: one statement needs no transaction of its own; a read-only one cost a BEGIN and a
     * COMMIT round trip on every customer 360 lookup. Inside a caller's transaction it joins it.
     */
    @Override
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Optional<CustomerSummary> summary(long customerId) {
        return jdbc.query("""
                        select id, name, phone, card_no, gender, age_band, city, home_store_id, registration_store_id, registered_at
                        from customer where id = (select coalesce(merged_into, id) from customer where id = ?)""",
                (rs, i) -> summaryOf(rs), customerId).stream().findFirst();
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public List<CustomerSummary> summaries(List<Long> customerIds) {
        if (customerIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query(c -> {
            var ps = c.prepareStatement("""
                    select c.id, c.name, c.phone, c.card_no, c.gender, c.age_band, c.city, c.home_store_id,
                           c.registration_store_id, c.registered_at
                    from unnest(?::bigint[]) with ordinality as asked(id, n)
                    join customer m on m.id = asked.id
                    join customer c on c.id = coalesce(m.merged_into, m.id)
                    order by asked.n""");
            ps.setArray(1, c.createArrayOf("bigint", customerIds.toArray()));
            return ps;
        }, (rs, i) -> summaryOf(rs));
    }

    @Override
    @Transactional(readOnly = true)
    public long count() {
        return jdbc.queryForObject("select count(*) from customer where merged_into is null", Long.class);
    }

    @Override
    @Transactional(readOnly = true)
    public long countByHomeStores(Collection<Long> storeIds) {
        if (storeIds.isEmpty()) {
            return 0;
        }
        return jdbc.query(c -> {
            var ps = c.prepareStatement("select count(*) from customer where merged_into is null and home_store_id = any(?)");
            ps.setArray(1, c.createArrayOf("bigint", storeIds.toArray()));
            return ps;
        }, (rs, i) -> rs.getLong(1)).getFirst();
    }

    CustomerSummary summaryOf(ResultSet rs) throws SQLException {
        String phone = pii.decrypt(rs.getBytes("phone"), "customer.phone");
        Long home = rs.getObject("home_store_id", Long.class);
        return new CustomerSummary(rs.getLong("id"), pii.decrypt(rs.getBytes("name"), "customer.name"),
                PhoneNumber.mask(phone), pii.decrypt(rs.getBytes("card_no"), "customer.card_no"),
                rs.getString("gender"), rs.getString("age_band"), rs.getString("city"), home,
                rs.getObject("registration_store_id", Long.class), rs.getTimestamp("registered_at").toInstant().atZone(zone).toLocalDate());
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<String> reveal(long customerId, String field) {
        String column = switch (field) {
            case "phone", "name", "address", "birthday" -> field;
            case "card_no", "cardNo" -> "card_no";
            default -> throw ApiProblem.badRequest("field", "not a personal data field");
        };
        return jdbc.query("select " + column + " from customer where id = "
                        + "(select coalesce(merged_into, id) from customer where id = ?)",
                (rs, i) -> Optional.ofNullable(pii.decrypt(rs.getBytes(1), "customer." + column)), customerId)
                .stream().findFirst().flatMap(o -> o);
    }

    /** The customer who is {@code customerId} now (itself, or the survivor it was merged into), unlocked. */
    long livingId(long customerId) {
        return jdbc.query("select coalesce(merged_into, id) from customer where id = ?", (rs, i) -> rs.getLong(1),
                customerId).stream().findFirst().orElseThrow(() -> ApiProblem.notFound("customer " + customerId));
    }

    /**
     * Locks the customer who is {@code living} now: itself, or the survivor it was merged into.
     * WHY the loop: a merge can commit between reading where a customer lives and locking it; the
     * lock waits for that merge, and what it then finds says whether to follow it. Written to the
     * merged row, the change would be lost, since every read follows the merge.
     */
    long lockLiving(long living) {
        long id = living;
        Long mergedInto;
        while ((mergedInto = jdbc.queryForObject("select merged_into from customer where id = ? for update",
                Long.class, id)) != null) {
            id = mergedInto;
        }
        return id;
    }

    /** The customer each known claim belongs to (merged customers resolve to their survivor). */
    Map<Key, Long> owners(Collection<IdentityClaim> claims) {
        Map<Key, Long> owners = new HashMap<>();
        if (claims.isEmpty()) {
            return owners;
        }
        List<IdentityClaim> list = List.copyOf(claims);
        SqlArrays.query(jdbc, OWNERS, (rs, i) -> {
                    owners.put(new Key(rs.getString(1), rs.getString(2), HexFormat.of().formatHex(rs.getBytes(3))),
                            rs.getLong(4));
                    return null;
                },
                Column.text(list.stream().map(IdentityClaim::kind).toList()),
                Column.text(list.stream().map(IdentityClaim::source).toList()),
                Column.bytea(list.stream().map(IdentityClaim::index).toList()));
        return owners;
    }

    /**
     * A claim this transaction makes: for a known customer, or for the new customer created under
     * the claim at position {@code fresh} of the call's unknown ones.
     */
    private record NewClaim(IdentityClaim claim, Long customerId, Integer fresh) {}

    /**
     * Every identity a call must claim, each for the customer it will belong to. The primaries come
     * first, in the order of {@code unknown} (the n-th is the one new customer n is created under): a
     * claim that is one identity's primary and another's second belongs to the new customer, as it did
     * when primaries were claimed before the rest. Profile claims last, for the same reason.
     */
    private static List<NewClaim> plan(Map<Key, Identity> unknown, Map<Identity, List<IdentityClaim>> claimsOf,
                                       Map<Identity, List<IdentityClaim>> profileClaims, Map<Identity, Long> resolved,
                                       Map<Key, Long> owners) {
        Map<Key, Integer> fresh = new HashMap<>();
        Map<Key, NewClaim> plan = new LinkedHashMap<>();
        for (var e : unknown.entrySet()) {
            fresh.put(e.getKey(), fresh.size());
            plan.put(e.getKey(), new NewClaim(claimsOf.get(e.getValue()).getFirst(), null, fresh.get(e.getKey())));
        }
        for (Map<Identity, List<IdentityClaim>> claims : List.of(claimsOf, profileClaims)) {
            claims.forEach((identity, list) -> {
                Long customer = resolved.get(identity);
                Integer group = customer == null ? fresh.get(claimsOf.get(identity).getFirst().key()) : null;
                for (IdentityClaim claim : list) {
                    if (!owners.containsKey(claim.key())) {
                        plan.putIfAbsent(claim.key(), new NewClaim(claim, customer, group));
                    }
                }
            });
        }
        return List.copyOf(plan.values());
    }

    /** Claims these identities for a known customer (a profile edit), as {@link #claimAll} does. */
    void claimFor(long customerId, List<IdentityClaim> claims) {
        claimAll(claims.stream().map(c -> new NewClaim(c, customerId, null)).toList());
    }

    /**
     * Inserts the claims with "on conflict do nothing", each new customer's id drawn once for all its
     * claims, and answers the ones won with their customers. WHY ONE STATEMENT IN LOCK_ORDER: an
     * inserted claim holds its slot in the unique key until the commit, and whoever inserts it too
     * waits. Claiming in two statements (primaries, then the rest) let two batches bringing the same
     * new cards, one card alone and the other with a phone, each hold one slot and wait for the other's.
     * Every claim of a transaction goes in this one statement, before it holds any customer (see 0005).
     */
    private Map<Key, Long> claimAll(List<NewClaim> claims) {
        Map<Key, Long> won = new HashMap<>();
        if (claims.isEmpty()) {
            return won;
        }
        List<NewClaim> ordered = claims.stream().sorted(Comparator.comparing(NewClaim::claim, LOCK_ORDER)).toList();
        SqlArrays.query(jdbc, """
                        with t as (
                            select * from unnest(?::text[], ?::text[], ?::bytea[], ?::bytea[], ?::bigint[], ?::bigint[])
                                with ordinality as t(k, s, b, v, c, g, n)),
                        fresh as (
                            select g, nextval(pg_get_serial_sequence('customer', 'id')) as id
                            from (select distinct g from t where g is not null) as groups)
                        insert into customer_identity (kind, source, blind_index, value, customer_id)
                        select t.k, t.s, t.b, t.v, coalesce(t.c, fresh.id)
                        from t left join fresh using (g)
                        order by t.n
                        on conflict do nothing
                        returning kind, source, blind_index, customer_id""",
                (rs, i) -> won.put(new Key(rs.getString(1), rs.getString(2), HexFormat.of().formatHex(rs.getBytes(3))),
                        rs.getLong(4)),
                Column.text(ordered.stream().map(c -> c.claim().kind()).toList()),
                Column.text(ordered.stream().map(c -> c.claim().source()).toList()),
                Column.bytea(ordered.stream().map(c -> c.claim().index()).toList()),
                Column.bytea(ordered.stream().map(c -> pii.encrypt(c.claim().value(), "customer_identity.value")).toList()),
                Column.bigint(ordered.stream().map(NewClaim::customerId).toList()),
                Column.bigint(ordered.stream().map(c -> c.fresh() == null ? null : (long) c.fresh()).toList()));
        return won;
    }

    /** Writes the customers whose primary claim was won, with the phone and card they arrived with. */
    private Set<Long> create(Map<Key, Identity> unknown, Map<Identity, List<IdentityClaim>> claimsOf,
                             Map<Key, Long> won, Map<Identity, Origin> origins) {
        List<Long> ids = new ArrayList<>();
        List<byte[]> phones = new ArrayList<>(), phoneIndexes = new ArrayList<>();
        List<byte[]> cards = new ArrayList<>(), cardIndexes = new ArrayList<>();
        List<Long> stores = new ArrayList<>();
        List<String> channels = new ArrayList<>();
        List<Instant> joined = new ArrayList<>();
        for (var e : unknown.entrySet()) {
            Long id = won.get(e.getKey());
            if (id == null) {
                continue;
            }
            Identity identity = e.getValue();
            List<IdentityClaim> claims = claimsOf.get(identity);
            IdentityClaim phone = first(claims, IdentityClaim.PHONE);
            IdentityClaim card = first(claims, IdentityClaim.CARD);
            Origin origin = origins.get(identity);
            stores.add(origin == null ? null : origin.registrationStoreId());
            channels.add(origin == null ? null : origin.registrationChannel());
            joined.add(origin == null ? null : origin.registeredAt());
            ids.add(id);
            phones.add(phone == null ? null : pii.encrypt(phone.value(), "customer.phone"));
            phoneIndexes.add(phone == null ? null : phone.index());
            cards.add(card == null ? null : pii.encrypt(card.value(), "customer.card_no"));
            cardIndexes.add(card == null ? null : card.index());
        }
        Instant now = clock.instant();
        if (!ids.isEmpty()) {
            SqlArrays.update(jdbc, """
                            insert into customer (id, phone, phone_index, card_no, card_index, registration_store_id,
                                                  home_store_id, registration_channel, registered_at, updated_at)
                            select id, p, pi, c, ci, st, st, ch, least(coalesce(ra, ?), ?), ?
                            from unnest(?::bigint[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bigint[], ?::text[],
                                        ?::timestamptz[]) as t(id, p, pi, c, ci, st, ch, ra)""",
                    Timestamp.from(now), Timestamp.from(now), Timestamp.from(now),
                    Column.bigint(ids), Column.bytea(phones), Column.bytea(phoneIndexes), Column.bytea(cards),
                    Column.bytea(cardIndexes), Column.bigint(stores), Column.text(channels), Column.timestamptz(joined));
            List<EventFeed.NewEvent> events = new ArrayList<>(ids.size());
            for (int k = 0; k < ids.size(); k++) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("customerId", ids.get(k));
                payload.put("registrationStoreId", stores.get(k));
                payload.put("registrationChannel", channels.get(k));
                events.add(new EventFeed.NewEvent(CustomerEvents.TOPIC, CustomerEvents.CREATED, ids.get(k), now, payload));
            }
            feed.appendAll(events);
        }
        return Set.copyOf(ids);
    }

    /**
     * Notes who owns each primary claim now: the new customer when won, else the concurrent caller's
     * customer, read back, so both callers end with the same customer. Other claims this call won for a
     * new customer that was not created (its primary lost) go to that winner instead.
     */
    private void settle(List<NewClaim> primaries, List<NewClaim> planned, Map<Key, Long> won, Map<Key, Long> owners) {
        List<IdentityClaim> lost = new ArrayList<>();
        for (NewClaim primary : primaries) {
            Long id = won.get(primary.claim().key());
            if (id != null) {
                owners.put(primary.claim().key(), id);
            } else {
                lost.add(primary.claim());
            }
        }
        if (!lost.isEmpty()) {
            owners.putAll(owners(lost));
            redirectOrphans(primaries, planned, won, owners);
        }
    }

    /** Rare: a new customer's primary lost and another of its claims won; that claim is the winner's. */
    private void redirectOrphans(List<NewClaim> primaries, List<NewClaim> planned, Map<Key, Long> won,
                                 Map<Key, Long> owners) {
        Map<Long, Long> winnerOf = new HashMap<>(); // the unused new id → the customer its primary belongs to
        for (NewClaim c : planned) {
            Long id = won.get(c.claim().key());
            Key primary = c.fresh() == null ? null : primaries.get(c.fresh()).claim().key();
            if (id != null && primary != null && !won.containsKey(primary) && owners.get(primary) != null) {
                winnerOf.put(id, owners.get(primary));
            }
        }
        if (!winnerOf.isEmpty()) {
            SqlArrays.update(jdbc, """
                            update customer_identity i set customer_id = u.winner
                            from unnest(?::bigint[], ?::bigint[]) as u(orphan, winner) where i.customer_id = u.orphan""",
                    Column.bigint(List.copyOf(winnerOf.keySet())), Column.bigint(List.copyOf(winnerOf.values())));
        }
    }

    /**
     * Notes the profile phones and cards the identities' customers arrived with and lack: one that
     * belongs to someone else stays theirs but goes on this customer's profile, which is what duplicate
     * detection finds (two customers, one phone or card). Only noted in {@code profileFill} (customer →
     * {phone, card}); the hold writes them. {@code owners} knows the lookup's owners and the primaries'.
     */
    private static void noteFills(Map<Identity, List<IdentityClaim>> claimsOf, Map<Identity, Long> resolved,
                                  Map<Key, Long> owners, Set<Long> created, Map<Long, IdentityClaim[]> profileFill) {
        for (var e : claimsOf.entrySet()) {
            long customer = resolved.get(e.getKey());
            for (IdentityClaim claim : e.getValue()) {
                Long owner = owners.get(claim.key());
                if (owner != null && owner == customer) {
                    continue;
                }
                boolean phoneOrCard = claim.kind().equals(IdentityClaim.PHONE) || claim.kind().equals(IdentityClaim.CARD);
                if (phoneOrCard && (!created.contains(customer) || owner != null)) {
                    IdentityClaim[] fill = profileFill.computeIfAbsent(customer, c -> new IdentityClaim[2]);
                    fill[claim.kind().equals(IdentityClaim.PHONE) ? 0 : 1] = claim;
                }
            }
        }
    }

    /** Sets customers' profile phone and card where still empty, never overwriting one; rows already held. */
    void fillProfiles(Map<Long, IdentityClaim[]> fills) {
        if (fills.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        List<byte[]> phones = new ArrayList<>(), phoneIndexes = new ArrayList<>();
        List<byte[]> cards = new ArrayList<>(), cardIndexes = new ArrayList<>();
        fills.forEach((id, f) -> {
            ids.add(id);
            phones.add(f[0] == null ? null : pii.encrypt(f[0].value(), "customer.phone"));
            phoneIndexes.add(f[0] == null ? null : f[0].index());
            cards.add(f[1] == null ? null : pii.encrypt(f[1].value(), "customer.card_no"));
            cardIndexes.add(f[1] == null ? null : f[1].index());
        });
        SqlArrays.update(jdbc, """
                        update customer c set
                            phone = case when c.phone_index is null then coalesce(u.p, c.phone) else c.phone end,
                            phone_index = coalesce(c.phone_index, u.pi),
                            card_no = case when c.card_index is null then coalesce(u.c, c.card_no) else c.card_no end,
                            card_index = coalesce(c.card_index, u.ci)
                        from unnest(?::bigint[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[]) as u(id, p, pi, c, ci)
                        where c.id = u.id
                          and ((c.phone_index is null and u.pi is not null) or (c.card_index is null and u.ci is not null))""",
                Column.bigint(ids), Column.bytea(phones), Column.bytea(phoneIndexes), Column.bytea(cards),
                Column.bytea(cardIndexes));
    }

    private static Long firstOwner(List<IdentityClaim> claims, Map<Key, Long> owners) {
        for (IdentityClaim claim : claims) {
            Long owner = owners.get(claim.key());
            if (owner != null) {
                return owner;
            }
        }
        return null;
    }

    private static IdentityClaim first(List<IdentityClaim> claims, String kind) {
        return claims.stream().filter(c -> c.kind().equals(kind)).findFirst().orElse(null);
    }

    private static List<IdentityClaim> distinct(List<IdentityClaim> claims) {
        Map<Key, IdentityClaim> byKey = new LinkedHashMap<>();
        claims.forEach(c -> byKey.putIfAbsent(c.key(), c));
        return List.copyOf(byKey.values());
    }

}
