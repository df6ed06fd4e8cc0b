package app.regulars.insights.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.roaringbitmap.RoaringBitmap;

/**
 * Keeps the index current from the event feed. The index was read at one database snapshot; the
 * tail applies exactly the events that snapshot did not see ({@code not pg_visible_in_snapshot}),
 * in (transaction, id) order and only below the oldest running transaction, as the pump does
 * (decision 0002) — but its position lives in memory with the index, which is rebuilt at start-up.
 * Events carry ids, so the rows they name are re-read (one query per kind per batch).
 */
final class FeedTail {

    static final int BATCH = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /*
     * WHY EVERY TOPIC, PAYLOADS ONLY OF OURS: the position must move past the events the index does not
     * read (segment and tag changes) as well. Filtered out, they stayed after the position and every poll
     * (each 5 ms when idle) walked them again: after a midnight round that re-evaluates everyone, tens of
     * thousands of index entries per poll until the next purchase.
     */
    /*
     * WHY "as tx": named tx_id, the text column would be what "order by tx_id" sorts, and as text "10000"
     * comes before "9999": a batch holding both was applied out of order, its position landed before
     * events it had applied, and the next batch applied them again. Sorted by the xid8 column, the batch
     * also comes out of the position index in order and the scan stops at the limit.
     */
    private static final String READ = """
            select id, tx_id::text as tx, topic, type, customer_id,
                   case when topic in ('purchases', 'customers', 'interactions', 'loyalty', 'coupons')
                        then payload::text end
            from event_feed
            where (tx_id, id) > (?::xid8, ?)
              and not pg_visible_in_snapshot(tx_id, ?::pg_snapshot)
              and tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by tx_id, id
            limit ?""";

    private final DataSource dataSource;
    private final CustomerIndex index;
    private final String snapshot;
    private String lastTx;
    private long lastId;

    /**
     * WHY THE POSITION STARTS JUST BELOW THE SNAPSHOT'S XMIN: the snapshot saw every transaction before
     * it, so the events to apply start there. Started at (0, 0), each poll until the first new event walked
     * the position index from its beginning (the row comparison is where a btree scan starts): after a
     * restart of a large chain, the whole feed several times a second until someone bought something.
     */
    FeedTail(DataSource dataSource, CustomerIndex index, String snapshot) {
        this.dataSource = dataSource;
        this.index = index;
        this.snapshot = snapshot;
        this.lastTx = Long.toString(Long.parseLong(snapshot.substring(0, snapshot.indexOf(':'))) - 1);
        this.lastId = Long.MAX_VALUE;
    }

    private static final Set<String> LOYALTY_TOPICS = Set.of("loyalty", "coupons");

    private record Event(long id, String tx, String topic, String type, Long customerId, JsonNode payload) {}

    /** Applies one batch; returns the ordinals it touched (empty when the feed had nothing new). */
    RoaringBitmap applyOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Event> events = read(c);
            if (events.isEmpty()) {
                return new RoaringBitmap();
            }
            List<Event> ours = events.stream().filter(e -> e.payload() != null).toList();
            RoaringBitmap touched = ours.isEmpty() ? new RoaringBitmap() : apply(c, ours);
            Event last = events.getLast();
            lastTx = last.tx();
            lastId = last.id();
            return touched;
        }
    }

    private List<Event> read(Connection c) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setString(1, lastTx);
            ps.setLong(2, lastId);
            ps.setString(3, snapshot);
            ps.setInt(4, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String payload = rs.getString(6); // null: another topic's event, passed over
                    events.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, Long.class), payload == null ? null : JSON.readTree(payload)));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable event payload", e);
        }
        return events;
    }

    /**
     * Applies a batch in feed order, grouping runs of the same kind so each run costs one query:
     * customers first (a receipt may name a customer created in the same batch), merges where they fall.
     */
    private RoaringBitmap apply(Connection c, List<Event> events) throws SQLException {
        RoaringBitmap touched = new RoaringBitmap();
        Set<Long> customers = new LinkedHashSet<>();
        Set<Long> receipts = new LinkedHashSet<>();
        Set<Long> interactions = new LinkedHashSet<>();
        Set<Long> members = new LinkedHashSet<>();
        List<long[]> merges = new ArrayList<>();
        for (Event e : events) {
            if (LOYALTY_TOPICS.contains(e.topic())) {
                if (e.customerId() != null) {
                    members.add(e.customerId());
                    customers.addAll(unknown(e.customerId()));
                }
                continue;
            }
            switch (e.type()) {
                case "customer.created", "customer.updated" -> customers.add(e.customerId());
                case "customer.merged" -> {
                    long[] m = {e.payload().path("survivor").asLong(), e.payload().path("merged").asLong()};
                    merges.add(m);
                    // The loyalty modules move points and coupons in the merge's own transaction.
                    members.add(m[0]);
                    members.add(m[1]);
                }
                case "receipts.moved" -> merges.add(new long[] {e.payload().path("survivorId").asLong(),
                        e.payload().path("mergedId").asLong()});
                case "receipt.accepted", "refund.accepted" -> {
                    if (e.customerId() != null) {
                        receipts.add(e.payload().path("receiptId").asLong());
                        customers.addAll(unknown(e.customerId()));
                    }
                }
                default -> {
                    if (e.type().startsWith("interaction.")) {
                        interactions.add(e.payload().path("interactionId").asLong());
                        customers.addAll(unknown(e.customerId()));
                    }
                }
            }
        }
        // Rows are re-read under the write lock: reading codes them into the index's dictionaries,
        // which readers use without further locking. A batch's reads take milliseconds.
        index.lock.writeLock().lock();
        try {
            if (!storesKnown(c)) {
                IndexLoader.readStores(c, index);
            }
            Map<Long, CustomerIndex.Profile> profiles = new LinkedHashMap<>();
            Map<Long, Long> mergedNow = new LinkedHashMap<>();
            readCustomers(c, customers, profiles, mergedNow);
            Staged staged = readReceipts(c, receipts);
            Staged stagedInteractions = readInteractions(c, interactions);
            profiles.forEach((id, p) -> {
                int o = index.ordinalOf(id);
                index.setProfile(o < 0 ? index.add(id) : o, p);
                touched.add(index.ordinalOf(id));
            });
            for (long[] m : merges) {
                merge(m[0], m[1], touched);
            }
            mergedNow.forEach((merged, survivor) -> merge(survivor, merged, touched));
            staged.appendTo(index, index.receipts, touched);
            stagedInteractions.appendTo(index, index.interactions, touched);
            readMembers(c, members, touched);
            index.version++;
        } finally {
            index.lock.writeLock().unlock();
        }
        return touched;
    }

    /** The customer, when the index has never heard of them (their profile is read with the batch). */
    private List<Long> unknown(Long customerId) {
        return customerId == null || index.ordinalOf(customerId) >= 0 || index.mergedInto.containsKey(customerId)
                ? List.of() : List.of(customerId);
    }

    /** Whether every store to the index (a store opened since the build is read then). */
    private boolean storesKnown(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from store");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (index.storeOf(rs.getLong(1)) == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private void merge(long survivor, long merged, RoaringBitmap touched) {
        index.mergedInto.put(merged, survivor);
        int m = index.ordinalOf(merged);
        if (m < 0) {
            return;
        }
        int s = index.ordinalOf(survivor);
        if (s < 0) {
            s = index.add(survivor);
        }
        if (index.isAlive(m)) {
            index.receipts.absorb(s, m);
            index.interactions.absorb(s, m);
            index.setAlive(m, false);
        }
        touched.add(s);
        touched.add(m);
    }

    /** Replaces the loyalty rows of customers something happened to (an event names them) with what is stored now. */
    private void readMembers(Connection c, Set<Long> ids, RoaringBitmap touched) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        for (long id : ids) {
            int o = index.ordinalOf(id);
            if (o >= 0) {
                index.loyalty.set(o, LoyaltyColumns.Member.NONE);
                touched.add(o);
            }
        }
        LoyaltyColumns.read(c, ids, (id, member) -> {
            int o = index.ordinalOf(id);
            if (o >= 0) {
                index.loyalty.set(o, member);
            }
        });
    }

    static String ids(Set<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "'{", "}'::bigint[]"));
    }

    private void readCustomers(Connection c, Set<Long> ids, Map<Long, CustomerIndex.Profile> profiles,
                               Map<Long, Long> merged) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String zone = "'" + index.zones.getFirst().getId() + "'";
        CopyReader.read(c, "select " + IndexLoader.CUSTOMER_COLUMNS.formatted(zone) + " where c.id = any(" + ids(ids)
                + ") order by c.id", row -> {
            long id = row.int8(0);
            if (!row.isNull(1)) {
                merged.put(id, row.int8(1));
            } else {
                profiles.put(id, IndexLoader.profile(row, index));
            }
        });
    }

    /** Rows read for a batch, in a staging segment, grouped by customer id in day order. */
    private record Staged(Segment segment, Map<Long, int[]> byCustomer) {
        void appendTo(CustomerIndex index, CustomerRows rows, RoaringBitmap touched) {
            byCustomer.forEach((customerId, staged) -> {
                int o = IndexLoader.ordinalFollowingMerges(index, customerId);
                if (o < 0) {
                    o = index.add(customerId);
                }
                rows.append(o, segment, staged);
                touched.add(o);
            });
        }
    }

    private Staged readReceipts(Connection c, Set<Long> ids) throws SQLException {
        Segment lines = new Segment(Receipts.LINE_WIDTH, 16, null);
        Segment staging = new Segment(Receipts.WIDTH, 16, lines);
        if (ids.isEmpty()) {
            return new Staged(staging, Map.of());
        }
        Map<Long, List<Integer>> byCustomer = new LinkedHashMap<>();
        List<long[]> keys = new ArrayList<>(); // (day, time, id) per staged row
        String where = " where r.id = any(" + ids(ids) + ") order by r.id";
        // (receipt, sku, packed, amount, quantity) per line
        Map<Long, List<long[]>> linesOf = new LinkedHashMap<>();
        CopyReader.read(c, "select " + IndexLoader.LINE_COLUMNS + " where l.receipt_id = any(" + ids(ids)
                + ") order by l.receipt_id, l.line_no", row -> linesOf.computeIfAbsent(row.int8(0),
                k -> new ArrayList<>()).add(new long[] {row.int8(0), row.int8(1),
                Receipts.packLine(row.int4(3), row.code(2, index.categories), row.bool(5)), row.int8(4),
                row.int4(3)}));
        CopyReader.read(c, "select " + IndexLoader.RECEIPT_COLUMNS + where, row -> {
            long receiptId = row.int8(1);
            int r = staging.reserve(1);
            List<long[]> ls = linesOf.getOrDefault(receiptId, List.of());
            boolean coupon = ls.stream().anyMatch(l -> Receipts.lineCoupon((int) l[2]));
            staging.cols[Receipts.DAY][r] = row.epochDay(3);
            staging.put(Receipts.AMOUNT, r, row.int8(8));
            staging.put(Receipts.DISCOUNT, r, row.int8(9));
            staging.cols[Receipts.ATTRS][r] = Receipts.attrs(index.storeOf(row.int8(5)), row.code(6, index.channels),
                    row.code(7, index.payments), row.bool(2), coupon);
            staging.cols[Receipts.LINES][r] = lines.size;
            for (long[] l : ls) {
                int at = lines.reserve(1);
                lines.cols[Receipts.SKU][at] = (int) l[1];
                lines.cols[Receipts.PACKED][at] = (int) l[2];
                lines.put(Receipts.LINE_AMOUNT, at, l[3]);
                if (l[4] > Receipts.MAX_QUANTITY) {
                    lines.putSide(Receipts.PACKED, at, l[4]);
                }
            }
            byCustomer.computeIfAbsent(row.int8(0), k -> new ArrayList<>()).add(r);
            keys.add(new long[] {row.epochDay(3), row.int8(4), receiptId});
        });
        return new Staged(staging, sorted(byCustomer, keys));
    }

    private static Map<Long, int[]> sorted(Map<Long, List<Integer>> byCustomer, List<long[]> keys) {
        Map<Long, int[]> out = new LinkedHashMap<>();
        byCustomer.forEach((customer, rows) -> out.put(customer, rows.stream().sorted((a, b) -> Arrays.compare(
                keys.get(a), keys.get(b))).mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private Staged readInteractions(Connection c, Set<Long> ids) throws SQLException {
        Segment staging = new Segment(Receipts.I_WIDTH, 16, null);
        if (ids.isEmpty()) {
            return new Staged(staging, Map.of());
        }
        Map<Long, List<Integer>> byCustomer = new LinkedHashMap<>();
        List<long[]> keys = new ArrayList<>();
        String zone = "'" + index.zones.getFirst().getId() + "'";
        CopyReader.read(c, """
                select i.customer_id, (i.occurred_at at time zone coalesce(s.timezone, %s))::date, i.type,
                       i.store_id, i.sku_id, i.occurred_at, i.id, i.rating
                from interaction i left join store s on s.id = i.store_id
                where i.id = any(%s) order by i.id""".formatted(zone, ids(ids)), row -> {
            int r = staging.reserve(1);
            staging.cols[Receipts.I_DAY][r] = row.epochDay(1);
            staging.cols[Receipts.I_ATTRS][r] = Receipts.interactionAttrs(row.code(2, index.interactionTypes),
                    row.isNull(7) ? 0 : (int) row.integer(7), row.isNull(3) ? 0 : index.storeOf(row.int8(3)));
            staging.cols[Receipts.I_SKU][r] = row.isNull(4) ? 0 : (int) row.int8(4);
            byCustomer.computeIfAbsent(row.int8(0), k -> new ArrayList<>()).add(r);
            keys.add(new long[] {row.epochDay(1), row.int8(5), row.int8(6)});
        });
        return new Staged(staging, sorted(byCustomer, keys));
    }
}
