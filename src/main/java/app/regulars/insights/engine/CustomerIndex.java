package app.regulars.insights.engine;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory customer index: customers by ordinal with their profile in arrays, their receipts
 * (with lines) and interactions customer-major in {@link CustomerRows}, and the dictionaries that
 * turn texts into small codes. Readers (evaluations) hold the read lock; the feed holds the write
 * lock only while it moves arrays, never while it waits on the database.
 */
final class CustomerIndex {

    static final List<String> INTERACTION_TYPES = List.of("visit", "check_in", "page_view", "favourite",
            "add_to_cart", "search", "review", "survey_answer", "message_sent", "message_clicked", "coupon_issued",
            "coupon_redeemed", "share", "ticket"); // appended: codes are positions

    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // Dictionaries. Codes start at 1; 0 is "none".
    final Dictionary stores = new Dictionary(Receipts.MAX_STORES);
    final Dictionary channels = new Dictionary(Receipts.MAX_CHANNELS);
    final Dictionary payments = new Dictionary(Receipts.MAX_PAYMENTS);
    final Dictionary categories = new Dictionary(Receipts.MAX_CATEGORIES);
    final Dictionary texts = new Dictionary(Integer.MAX_VALUE - 1);
    final Dictionary customValues = new Dictionary(Integer.MAX_VALUE - 1);
    final Dictionary interactionTypes = new Dictionary(31);
    final LongIntMap storeById = new LongIntMap(64);
    long[] storeIdOf = new long[16];
    byte[] storeZone = new byte[16];

    /** Timezones in use; index 0 is the default (stores without one, customers without a home store). */
    final List<ZoneId> zones = new ArrayList<>();

    // Customers by ordinal.
    int size;
    long[] ids;
    final LongIntMap ordinals;
    long[] alive;
    int aliveCount;
    byte[] zone;
    int[] gender;
    int[] ageBand;
    int[] city;
    int[] region;
    int[] registrationChannel;
    int[] homeStore;
    int[] registrationStore;
    int[] birthMmdd; // month * 100 + day, 0: unknown
    int[] registeredDay;
    final Map<String, int[]> custom = new HashMap<>();
    /** Merged-away customer id → survivor id, for events that still name the merged one. */
    final Map<Long, Long> mergedInto = new HashMap<>();

    CustomerRows receipts;
    /** The base's recent receipts packed together for window sums; null until built. */
    volatile RecentReceipts recentReceipts;
    CustomerRows interactions;
    final LoyaltyColumns loyalty;

    /** Bumped on every change, so cached per-customer figures (RFM) know when to recompute. */
    volatile long version;

    CustomerIndex(ZoneId defaultZone, int expectedCustomers) {
        zones.add(defaultZone);
        INTERACTION_TYPES.forEach(interactionTypes::code);
        int n = Math.max(16, expectedCustomers);
        ids = new long[n];
        ordinals = new LongIntMap(n);
        alive = new long[(n >> 6) + 1];
        zone = new byte[n];
        gender = new int[n];
        ageBand = new int[n];
        city = new int[n];
        region = new int[n];
        registrationChannel = new int[n];
        homeStore = new int[n];
        registrationStore = new int[n];
        birthMmdd = new int[n];
        registeredDay = new int[n];
        loyalty = new LoyaltyColumns(n);
    }

    int zoneIndex(String timezone) {
        ZoneId z = timezone == null ? zones.getFirst() : ZoneId.of(timezone);
        int i = zones.indexOf(z);
        if (i >= 0) {
            return i;
        }
        if (zones.size() >= Byte.MAX_VALUE) {
            throw new IllegalStateException("more than 127 store timezones");
        }
        zones.add(z);
        return zones.size() - 1;
    }

    /** Registers a store (id, code, timezone); returns its code. */
    int store(long id, String code, String timezone) {
        int s = stores.code(code);
        if (s >= storeIdOf.length) {
            storeIdOf = Arrays.copyOf(storeIdOf, s * 2);
            storeZone = Arrays.copyOf(storeZone, s * 2);
        }
        storeIdOf[s] = id;
        storeZone[s] = (byte) zoneIndex(timezone);
        storeById.put(id, s);
        return s;
    }

    /** The store code of a store id, or 0 when the index has not seen that store. */
    int storeOf(long storeId) {
        return storeById.get(storeId, 0);
    }

    int ordinalOf(long customerId) {
        return ordinals.get(customerId, -1);
    }

    /** A new customer gets the next ordinal; ordinals never change while the index lives. */
    int add(long customerId) {
        int c = size;
        if (c == ids.length) {
            grow(c * 3 / 2 + 16);
        }
        size++;
        ids[c] = customerId;
        ordinals.put(customerId, c);
        setAlive(c, true);
        receipts.ensureCustomers(size);
        interactions.ensureCustomers(size);
        loyalty.ensureCustomers(size);
        return c;
    }

    private void grow(int n) {
        ids = Arrays.copyOf(ids, n);
        alive = Arrays.copyOf(alive, (n >> 6) + 1);
        zone = Arrays.copyOf(zone, n);
        gender = Arrays.copyOf(gender, n);
        ageBand = Arrays.copyOf(ageBand, n);
        city = Arrays.copyOf(city, n);
        region = Arrays.copyOf(region, n);
        registrationChannel = Arrays.copyOf(registrationChannel, n);
        homeStore = Arrays.copyOf(homeStore, n);
        registrationStore = Arrays.copyOf(registrationStore, n);
        birthMmdd = Arrays.copyOf(birthMmdd, n);
        registeredDay = Arrays.copyOf(registeredDay, n);
        custom.replaceAll((k, v) -> Arrays.copyOf(v, n));
    }

    boolean isAlive(int c) {
        return (alive[c >> 6] & (1L << c)) != 0;
    }

    void setAlive(int c, boolean on) {
        boolean was = isAlive(c);
        if (on && !was) {
            alive[c >> 6] |= 1L << c;
            aliveCount++;
        } else if (!on && was) {
            alive[c >> 6] &= ~(1L << c);
            aliveCount--;
        }
    }

    /** The values of one custom field (codes in {@link #customValues}), made when first needed. */
    int[] customColumn(String key) {
        return custom.computeIfAbsent(key, k -> new int[ids.length]);
    }

    /** What one customer row says; texts are codes of the index's dictionaries. */
    record Profile(int gender, int ageBand, int city, int region, int registrationChannel, int homeStore,
                   int registrationStore, int birthMmdd, int registeredDay, Map<String, String> custom) {}

    void setProfile(int c, Profile p) {
        gender[c] = p.gender();
        ageBand[c] = p.ageBand();
        city[c] = p.city();
        region[c] = p.region();
        registrationChannel[c] = p.registrationChannel();
        homeStore[c] = p.homeStore();
        registrationStore[c] = p.registrationStore();
        birthMmdd[c] = p.birthMmdd();
        registeredDay[c] = p.registeredDay();
        zone[c] = p.homeStore() == 0 ? 0 : storeZone[p.homeStore()];
        for (int[] column : custom.values()) {
            column[c] = 0;
        }
        p.custom().forEach((key, value) -> customColumn(key)[c] = customValues.code(value));
    }

    /** Bytes held by receipts and their lines (arrays as allocated). */
    long receiptBytes() {
        RecentReceipts recent = recentReceipts;
        return receipts.bytes() + (recent == null ? 0 : recent.bytes());
    }
}
