package app.regulars.loyalty.internal;

import app.regulars.platform.EventFeed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The points ledger. Every change is an appended entry; credits create lots, debits draw from lots
 * (oldest expiry first) and record each draw. All writes run in the caller's transaction with the
 * customer's account row locked, so debits of one customer serialise and can never overspend; the
 * idempotency key is checked under that lock, so a concurrent retry finds the first call's entry.
 */
@Component
class Ledger {

    static final String TOPIC = "loyalty";

    /** Which lots a debit may draw from. */
    enum Source {
        /** Available (out of the return window) and unexpired lots; refused when short. */
        SPENDABLE,
        /** Every unexpired lot, pending ones too (a manual correction); refused when short. */
        ANY
    }

    /** A lot to create: how many points, from when they can be spent, until when. */
    record NewLot(long points, Instant availableAt, Instant expiresAt) {}

    /** An entry written now, or found under its key ({@code replayed}). */
    record Posted(long entryId, long points, boolean replayed, long balance) {}

    /** What a reversal did: reversed from lots, and what it could not take. */
    record Reversed(long entryId, long taken, long debt, long shortfall, boolean replayed) {}

    record AccountRow(long customerId, long balance, long debt, long shortfall, Long firstReceiptId, String tierCode) {}

    private record OpenLot(long id, long remaining) {}

    private final JdbcTemplate jdbc;
    private final EventFeed feed;
    private final ObjectMapper json;

    Ledger(JdbcTemplate jdbc, EventFeed feed, ObjectMapper json) {
        this.jdbc = jdbc;
        this.feed = feed;
        this.json = json;
    }

    /**
     * Locks (creating when new) the customer's account row for the rest of the transaction. Reads
     * first: an existing account, the usual case, costs one statement.
     */
    AccountRow lock(long customerId, Instant now) {
        requireTransaction();
        List<AccountRow> row = selectForUpdate(customerId);
        if (!row.isEmpty()) {
            return row.getFirst();
        }
        jdbc.update("insert into points_account (customer_id, tier_since) values (?, ?) on conflict do nothing",
                customerId, Timestamp.from(now));
        return selectForUpdate(customerId).getFirst();
    }

    /**
     * Locks (creating when new) the accounts of many customers in id order, the order every
     * multi-account writer uses, so two of them cannot deadlock.
     */
    Map<Long, AccountRow> lockAll(java.util.Collection<Long> customerIds, Instant now) {
        requireTransaction();
        Long[] ids = customerIds.stream().distinct().sorted().toArray(Long[]::new);
        Map<Long, AccountRow> rows = new LinkedHashMap<>();
        if (ids.length == 0) {
            return rows;
        }
        jdbc.update("""
                insert into points_account (customer_id, tier_since) select c, ? from unnest(?::bigint[]) as u(c)
                order by c on conflict do nothing""", Timestamp.from(now), ids);
        jdbc.query("""
                select customer_id, balance, debt, shortfall, first_receipt_id, tier_code from points_account
                where customer_id = any(?) order by customer_id for update""", rs -> {
            rows.put(rs.getLong(1), new AccountRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                    rs.getObject(5, Long.class), rs.getString(6)));
        }, (Object) ids);
        return rows;
    }

    private List<AccountRow> selectForUpdate(long customerId) {
        return jdbc.query("""
                select customer_id, balance, debt, shortfall, first_receipt_id, tier_code from points_account
                where customer_id = ? for update""", (rs, i) -> new AccountRow(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                rs.getLong(4), rs.getObject(5, Long.class), rs.getString(6)), customerId);
    }

    /** The entry written earlier under this key: id and points. */
    Optional<long[]> existing(String key) {
        return jdbc.query("select id, points, customer_id from points_entry where idempotency_key = ?",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, key).stream().findFirst();
    }

    /**
     * Adds points as one entry with one or more lots. A customer in debt (a refund reversed points
     * already spent, policy "negative") repays it from the new lots first.
     */
    Posted credit(long customerId, String kind, String reason, String key, Long receiptId, Instant at,
                  List<NewLot> lots, Map<String, ?> detail, String actor) {
        AccountRow account = lock(customerId, at);
        long total = lots.stream().mapToLong(NewLot::points).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("a credit adds points: " + total);
        }
        // Written unless the key exists: a replay costs the look-up, a first call does not.
        Optional<Long> written = insertEntryIfNew(customerId, kind, total, reason, key, receiptId, at, detail, actor);
        if (written.isEmpty()) {
            long[] before = existing(key).orElseThrow();
            return new Posted(before[0], before[1], true, account.balance());
        }
        long entry = written.get();
        List<OpenLot> created = new ArrayList<>();
        for (NewLot lot : lots) {
            if (lot.points() <= 0) {
                continue;
            }
            Long id = jdbc.queryForObject("""
                    insert into points_lot (customer_id, entry_id, points, remaining, earned_at, available_at, expires_at, receipt_id)
                    values (?, ?, ?, ?, ?, ?, ?, ?) returning id""", Long.class, customerId, entry, lot.points(), lot.points(),
                    Timestamp.from(at), Timestamp.from(lot.availableAt()), ts(lot.expiresAt()), receiptId);
            created.add(new OpenLot(id, lot.points()));
        }
        long repaid = account.debt() > 0 ? settleDebt(customerId, account.debt(), created) : 0;
        long balance = account.balance() + total;
        jdbc.update("update points_account set balance = ?, debt = debt - ?, updated_at = ? where customer_id = ?",
                balance, repaid, Timestamp.from(at), customerId);
        announce("points.earned", customerId, at, entry, kind, total, receiptId, balance);
        return new Posted(entry, total, false, balance);
    }

    /** Debt is repaid as late allocations of the reversals that created it, oldest first. */
    private long settleDebt(long customerId, long debt, List<OpenLot> lots) {
        List<long[]> uncovered = jdbc.query("""
                select e.id, -e.points - coalesce((select sum(a.points) from points_allocation a where a.entry_id = e.id), 0)
                from points_entry e where e.customer_id = ? and e.kind = 'reverse' order by e.id""",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, customerId);
        long repaid = 0;
        int lot = 0;
        long left = lots.isEmpty() ? 0 : lots.getFirst().remaining();
        for (long[] reversal : uncovered) {
            long owed = reversal[1];
            while (owed > 0 && lot < lots.size() && repaid < debt) {
                long take = Math.min(Math.min(owed, left), debt - repaid);
                allocate(reversal[0], lots.get(lot).id(), take);
                owed -= take;
                left -= take;
                repaid += take;
                if (left == 0 && ++lot < lots.size()) {
                    left = lots.get(lot).remaining();
                }
            }
        }
        return repaid;
    }

    /**
     * Takes points from lots, oldest expiry first. Empty (and nothing written) when the lots the
     * draw may use hold fewer points; a replay of the key answers the first entry.
     */
    Optional<Posted> debit(long customerId, String kind, long points, String reason, String key, Long receiptId,
                           Instant at, Source source, Map<String, ?> detail, String actor) {
        if (points <= 0) {
            throw new IllegalArgumentException("a debit takes points: " + points);
        }
        AccountRow account = lock(customerId, at);
        Optional<long[]> before = existing(key);
        if (before.isPresent()) {
            return Optional.of(new Posted(before.get()[0], before.get()[1], true, account.balance()));
        }
        List<OpenLot> lots = openLots(customerId, at, source == Source.SPENDABLE, null);
        long available = lots.stream().mapToLong(OpenLot::remaining).sum() - account.debt();
        if (available < points) {
            return Optional.empty();
        }
        long entry = insertEntry(customerId, kind, -points, reason, key, receiptId, at, detail, actor);
        drawFrom(entry, lots, points);
        long balance = account.balance() - points;
        jdbc.update("update points_account set balance = ?, updated_at = ? where customer_id = ?", balance,
                Timestamp.from(at), customerId);
        announce("points.spent", customerId, at, entry, kind, -points, receiptId, balance);
        return Optional.of(new Posted(entry, -points, false, balance));
    }

    /**
     * Reverses points a receipt earned: from that receipt's own lots first, then from any other lot
     * (pending or not). What the lots cannot cover becomes debt (the balance goes negative) or, with
     * policy "record", a recorded shortfall (the balance stays at zero or above).
     */
    Reversed reverse(long customerId, long points, String reason, String key, long receiptId, Instant at,
                     boolean allowNegative, Map<String, ?> detail) {
        AccountRow account = lock(customerId, at);
        Optional<long[]> before = existing(key);
        if (before.isPresent()) {
            return new Reversed(before.get()[0], -before.get()[1], 0, 0, true);
        }
        List<OpenLot> lots = openLots(customerId, at, false, receiptId);
        long inLots = lots.stream().mapToLong(OpenLot::remaining).sum();
        long taken = Math.min(points, inLots);
        long missing = points - taken;
        long booked = allowNegative ? points : taken;
        Map<String, Object> facts = new LinkedHashMap<>(detail);
        facts.put("owed", points);
        if (missing > 0) {
            facts.put(allowNegative ? "debt" : "shortfall", missing);
        }
        if (booked == 0) {
            // Nothing to book: the shortfall alone is recorded, against a zero-point marker entry.
            long entry = insertEntry(customerId, "reverse", 0, reason, key, receiptId, at, facts, "system");
            recordShortfall(entry, customerId, receiptId, missing, at);
            announce("points.reversed", customerId, at, entry, "reverse", 0, receiptId, account.balance());
            return new Reversed(entry, 0, 0, missing, false);
        }
        long entry = insertEntry(customerId, "reverse", -booked, reason, key, receiptId, at, facts, "system");
        drawFrom(entry, lots, taken);
        long balance = account.balance() - booked;
        long debt = allowNegative ? missing : 0;
        jdbc.update("update points_account set balance = ?, debt = debt + ?, updated_at = ? where customer_id = ?",
                balance, debt, Timestamp.from(at), customerId);
        if (!allowNegative && missing > 0) {
            recordShortfall(entry, customerId, receiptId, missing, at);
        }
        announce("points.reversed", customerId, at, entry, "reverse", -booked, receiptId, balance);
        return new Reversed(entry, taken, debt, allowNegative ? 0 : missing, false);
    }

    private void recordShortfall(long entry, long customerId, long receiptId, long missing, Instant at) {
        jdbc.update("insert into points_shortfall (entry_id, customer_id, receipt_id, points, recorded_at) values (?, ?, ?, ?, ?)",
                entry, customerId, receiptId, missing, Timestamp.from(at));
        jdbc.update("update points_account set shortfall = shortfall + ? where customer_id = ?", missing, customerId);
    }

    /** Expires every lot of the customer whose expiry has passed: one entry per lot, keyed by the lot. */
    long expire(long customerId, Instant now) {
        AccountRow account = lock(customerId, now);
        List<OpenLot> due = jdbc.query("""
                select id, remaining from points_lot where customer_id = ? and remaining > 0 and expires_at <= ?
                order by expires_at, id""", (rs, i) -> new OpenLot(rs.getLong(1), rs.getLong(2)), customerId,
                Timestamp.from(now));
        long expired = 0;
        List<Long> entries = new ArrayList<>();
        for (OpenLot lot : due) {
            long entry = insertEntry(customerId, "expire", -lot.remaining(), "expired", "expire:lot:" + lot.id(), null,
                    now, Map.of("lotId", lot.id()), "system");
            drawFrom(entry, List.of(lot), lot.remaining());
            expired += lot.remaining();
            entries.add(entry);
        }
        if (expired > 0) {
            long balance = account.balance() - expired;
            jdbc.update("update points_account set balance = ?, updated_at = ? where customer_id = ?", balance,
                    Timestamp.from(now), customerId);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("entryIds", entries);
            payload.put("points", -expired);
            payload.put("balance", balance);
            feed.append(TOPIC, "points.expired", customerId, now, payload);
        }
        return expired;
    }

    /** The draws of an entry, in the order they were made. */
    List<long[]> draws(long entryId) {
        return jdbc.query("select lot_id, points from points_allocation where entry_id = ? order by id",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, entryId);
    }

    Instant expiryOf(long lotId) {
        Timestamp t = jdbc.queryForObject("select expires_at from points_lot where id = ?", Timestamp.class, lotId);
        return t == null ? null : t.toInstant();
    }

    /**
     * Open lots in drawing order: a given receipt's lots first, then by expiry (never-expiring last)
     * and age. Locked, although the account lock already serialises every writer of these lots.
     */
    private List<OpenLot> openLots(long customerId, Instant at, boolean spendableOnly, Long receiptFirst) {
        String where = spendableOnly ? " and available_at <= ? and (expires_at is null or expires_at > ?)"
                : receiptFirst == null ? " and (expires_at is null or expires_at > ?)" : "";
        List<Object> args = new ArrayList<>();
        args.add(customerId);
        if (spendableOnly) {
            args.add(Timestamp.from(at));
            args.add(Timestamp.from(at));
        } else if (receiptFirst == null) {
            args.add(Timestamp.from(at));
        }
        String order = receiptFirst == null ? "" : "(receipt_id is not distinct from " + receiptFirst + ") desc, ";
        return jdbc.query("select id, remaining from points_lot where customer_id = ? and remaining > 0" + where
                        + " order by " + order + "expires_at nulls last, id for update",
                (rs, i) -> new OpenLot(rs.getLong(1), rs.getLong(2)), args.toArray());
    }

    private void drawFrom(long entry, List<OpenLot> lots, long points) {
        long left = points;
        for (OpenLot lot : lots) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, lot.remaining());
            allocate(entry, lot.id(), take);
            left -= take;
        }
        if (left > 0) {
            throw new IllegalStateException("lots of entry " + entry + " short by " + left);
        }
    }

    private void allocate(long entry, long lot, long points) {
        jdbc.update("insert into points_allocation (entry_id, lot_id, points) values (?, ?, ?)", entry, lot, points);
        int changed = jdbc.update("update points_lot set remaining = remaining - ? where id = ? and remaining >= ?",
                points, lot, points);
        if (changed != 1) {
            throw new IllegalStateException("lot " + lot + " cannot give " + points);
        }
    }

    private Optional<Long> insertEntryIfNew(long customerId, String kind, long points, String reason, String key,
                                            Long receiptId, Instant at, Map<String, ?> detail, String actor) {
        return jdbc.queryForList("""
                insert into points_entry (customer_id, kind, points, reason, idempotency_key, receipt_id, actor, detail, occurred_at)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (idempotency_key) do nothing returning id""", Long.class,
                customerId, kind, points, reason, key, receiptId, actor == null ? "system" : actor, write(detail),
                Timestamp.from(at)).stream().findFirst();
    }

    private long insertEntry(long customerId, String kind, long points, String reason, String key, Long receiptId,
                             Instant at, Map<String, ?> detail, String actor) {
        return jdbc.queryForObject("""
                insert into points_entry (customer_id, kind, points, reason, idempotency_key, receipt_id, actor, detail, occurred_at)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning id""", Long.class, customerId, kind, points, reason,
                key, receiptId, actor == null ? "system" : actor, write(detail), Timestamp.from(at));
    }

    private void announce(String type, long customerId, Instant at, long entry, String kind, long points, Long receiptId,
                          long balance) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("entryId", entry);
        payload.put("kind", kind);
        payload.put("points", points);
        if (receiptId != null) {
            payload.put("receiptId", receiptId);
        }
        payload.put("balance", balance);
        feed.append(TOPIC, type, customerId, at, payload);
    }

    private String write(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("entry detail is not serialisable", e);
        }
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("ledger writes run inside the caller's transaction");
        }
    }
}
