package app.regulars.purchases.internal;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Sku;
import app.regulars.catalog.Staff;
import app.regulars.catalog.Store;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.EventFeed;
import app.regulars.purchases.IntakeResult;
import app.regulars.purchases.PurchaseIntake;
import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import app.regulars.purchases.internal.ReceiptRows.Key;
import app.regulars.purchases.internal.ReceiptRows.NewLine;
import app.regulars.purchases.internal.ReceiptRows.NewReceipt;
import app.regulars.purchases.internal.ReceiptRows.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Receipts in: every receipt of a call is checked before anything is written, then all are written
 * in one transaction with a constant number of statements (no per-receipt or per-line round trips).
 * A receipt already stored under the same (source, receiptNo) is answered with its original result.
 */
@Service
class ReceiptIntake implements PurchaseIntake {

    static final String TOPIC = "purchases";

    private final Catalog catalog;
    private final Customers customers;
    private final ReceiptRows rows;
    private final EventFeed feed;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ReceiptCoalescer coalescer;

    ReceiptIntake(Catalog catalog, Customers customers, ReceiptRows rows, EventFeed feed, TransactionTemplate tx,
                  Clock clock) {
        this.catalog = catalog;
        this.customers = customers;
        this.rows = rows;
        this.feed = feed;
        this.tx = tx;
        this.clock = clock;
        this.coalescer = new ReceiptCoalescer(drafts -> intake(drafts, i -> ""), this::alone);
    }

    /**
     * A well-formed receipt travels with others that arrive at the same moment (see
     * {@link ReceiptCoalescer}); a malformed one is refused here, alone, without holding anyone up. A
     * caller inside a transaction of its own keeps the receipt in it (another thread could not).
     */
    @Override
    public IntakeResult accept(ReceiptDraft receipt) {
        if (receipt == null || TransactionSynchronizationManager.isActualTransactionActive()) {
            return alone(receipt);
        }
        List<FieldError> problems = new ArrayList<>();
        ReceiptChecks.check(receipt, "", clock.instant(), problems);
        return problems.isEmpty() ? coalescer.accept(receipt) : alone(receipt);
    }

    private IntakeResult alone(ReceiptDraft receipt) {
        return intake(Collections.singletonList(receipt), i -> "").getFirst();
    }

    @Override
    public List<IntakeResult> acceptAll(List<ReceiptDraft> receipts) {
        return intake(receipts, i -> "receipts[" + i + "].");
    }

    private List<IntakeResult> intake(List<ReceiptDraft> drafts, IntFunction<String> at) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        Batch batch = new Batch(drafts, at);
        // Checked before the transaction: the catalog answers stores from its cache only outside one.
        batch.checkEach();
        batch.lookUpStores();
        return tx.execute(status -> batch.run());
    }

    /** One call's receipts and what has been learnt about them so far. */
    private final class Batch {
        private final List<ReceiptDraft> drafts;
        private final IntFunction<String> at;
        private final List<FieldError> errors = new ArrayList<>();
        private final Set<Integer> malformed = new LinkedHashSet<>();
        private final Key[] keys;
        /** Indexes of the receipts this call may write: first of their key in the batch, not stored before. */
        private final List<Integer> fresh = new ArrayList<>();
        private final Map<Key, Integer> firstIndex = new HashMap<>();
        private Map<Key, Stored> stored = Map.of();
        private final Map<String, Store> stores = new HashMap<>();
        private final Map<String, Long> staffIds = new HashMap<>();
        private List<Integer> refunds = List.of();
        private final Map<Integer, Stored> originals = new HashMap<>();
        private final Map<Integer, Long> customerIds = new HashMap<>();
        private final Map<Integer, Long> originalIds = new HashMap<>();
        private final Map<Identity, Long> resolved = new HashMap<>();
        private Map<Long, Long> living = Map.of();

        Batch(List<ReceiptDraft> drafts, IntFunction<String> at) {
            this.drafts = drafts;
            this.at = at;
            this.keys = new Key[drafts.size()];
        }

        /*
         * WHY CUSTOMERS BEFORE RECEIPTS: a merge locks both customers "for update" and then moves their
         * receipts, so it needs the row lock a refund holds on its original sale. A refund that locked the
         * sale first and then held the sale's customer deadlocked with such a merge (PostgreSQL aborted
         * one of them after deadlock_timeout). So the originals are read unlocked, their customers held
         * with everyone else's, and only then are the originals locked.
         */
        List<IntakeResult> run() {
            findStored();
            checkStores();
            findOriginals();
            // A call refused already writes nothing: its refunds are checked without customers or locks,
            // so it hears of all its broken rules at once.
            boolean refused = !errors.isEmpty() || !refundsNameSales();
            if (!refused) {
                holdCustomers();
            }
            checkRefunds(!refused);
            failOnErrors();
            assignCustomers();
            failOnErrors();
            return write();
        }

        void checkEach() {
            var now = clock.instant();
            for (int i = 0; i < drafts.size(); i++) {
                ReceiptDraft d = drafts.get(i);
                if (d == null) {
                    errors.add(Refusals.CODES.of(at.apply(i).isEmpty() ? "body" : "receipts[" + i + "]", "required", "required"));
                    malformed.add(i);
                    continue;
                }
                int before = errors.size();
                ReceiptChecks.check(d, at.apply(i), now, errors);
                if (errors.size() > before) {
                    malformed.add(i);
                }
                keys[i] = new Key(d.source(), d.receiptNo());
            }
        }

        private void findStored() {
            Set<Key> wellFormed = new LinkedHashSet<>();
            for (int i = 0; i < drafts.size(); i++) {
                if (!malformed.contains(i)) {
                    wellFormed.add(keys[i]);
                }
            }
            stored = rows.find(wellFormed, false);
            for (int i = 0; i < drafts.size(); i++) {
                if (!malformed.contains(i) && !stored.containsKey(keys[i]) && firstIndex.putIfAbsent(keys[i], i) == null) {
                    fresh.add(i);
                }
            }
        }

        void lookUpStores() {
            for (int i = 0; i < drafts.size(); i++) {
                if (!malformed.contains(i)) {
                    catalog.storeByCode(drafts.get(i).storeCode()).ifPresent(s -> stores.put(s.code(), s));
                }
            }
            for (int i = 0; i < drafts.size(); i++) {
                ReceiptDraft d = drafts.get(i);
                Store store = malformed.contains(i) ? null : stores.get(d.storeCode());
                if (store != null && d.staffCode() != null && !d.staffCode().isBlank()) {
                    // An unknown staff code is kept as sent: tills learn new colleagues before HQ does.
                    staffIds.computeIfAbsent(store.id() + "/" + d.staffCode(),
                            k -> catalog.staff(store.id(), d.staffCode()).map(Staff::id).orElse(null));
                }
            }
        }

        private void checkStores() {
            // A store outside the caller's scope was refused (403) at the API, before the intake.
            for (int i : fresh) {
                if (!stores.containsKey(drafts.get(i).storeCode())) {
                    errors.add(Refusals.CODES.of(at.apply(i) + "storeCode", "unknownStore", "unknown store"));
                }
            }
        }

        /** The stored originals of the refunds, read without a lock (see {@link #run}). */
        private void findOriginals() {
            refunds = fresh.stream().filter(i -> isRefund(drafts.get(i))).toList();
            Set<Key> wanted = new LinkedHashSet<>();
            for (int i : refunds) {
                Integer inBatch = firstIndex.get(originalKey(i));
                if (inBatch == null || !fresh.contains(inBatch)) {
                    wanted.add(originalKey(i));
                }
            }
            Map<Key, Stored> found = rows.find(wanted, false);
            for (int i : refunds) {
                Stored original = found.get(originalKey(i));
                if (original != null) {
                    originals.put(i, original);
                }
            }
        }

        /** A receipt is never deleted and never changes its kind: what the unlocked read found stands. */
        private boolean refundsNameSales() {
            return refunds.stream().allMatch(i -> ReceiptDraft.SALE.equals(originalKind(i)));
        }

        /** The kind of the refund's original, stored or earlier in this call; null when there is none. */
        private String originalKind(int i) {
            Stored stored = originals.get(i);
            if (stored != null) {
                return stored.kind();
            }
            Integer inBatch = firstIndex.get(originalKey(i));
            return inBatch != null && fresh.contains(inBatch) && inBatch < i ? ReceiptChecks.kind(drafts.get(inBatch)) : null;
        }

        /**
         * Each refund needs its original sale, and all refunds of a sale together return at most what it
         * sold. With {@code lock}, the stored sales are locked first, so two refunds of one sale check
         * their quantities one after the other; the locked row replaces the one read before (a merge that
         * committed in between moved it to a survivor {@link #holdCustomers} followed and holds).
         */
        private void checkRefunds(boolean lock) {
            if (refunds.isEmpty()) {
                return;
            }
            Set<Key> originalKeys = new LinkedHashSet<>();
            originals.values().forEach(o -> originalKeys.add(o.key()));
            Map<Key, Stored> locked = rows.find(originalKeys, lock);
            Map<Long, Map<String, Integer>> sold = new HashMap<>(rows.quantities(ids(locked)));
            Map<Long, Map<String, Integer>> refunded = new HashMap<>(rows.refunded(ids(locked)));
            for (int i : refunds) {
                String kind = originalKind(i);
                Stored original = originals.get(i);
                if (kind == null) {
                    Key key = originalKey(i);
                    errors.add(Refusals.CODES.of(at.apply(i) + "originalReceiptNo", "noOriginal",
                            "no receipt " + key.receiptNo() + " from source " + key.source()));
                } else if (!ReceiptDraft.SALE.equals(kind)) {
                    errors.add(Refusals.CODES.of(at.apply(i) + "originalReceiptNo", "originalIsRefund", "is itself a refund"));
                } else if (original != null) {
                    originals.put(i, locked.get(original.key()));
                    checkQuantities(i, original.id(), sold, refunded);
                } else {
                    // The sale comes earlier in this same call: a pseudo id (negative) until it is written.
                    int inBatch = firstIndex.get(originalKey(i));
                    long pseudo = -1L - inBatch;
                    sold.computeIfAbsent(pseudo, k -> quantities(drafts.get(inBatch)));
                    checkQuantities(i, pseudo, sold, refunded);
                }
            }
        }

        private void checkQuantities(int i, long originalId, Map<Long, Map<String, Integer>> sold,
                                     Map<Long, Map<String, Integer>> refunded) {
            ReceiptDraft d = drafts.get(i);
            Map<String, Integer> soldHere = sold.getOrDefault(originalId, Map.of());
            Map<String, Integer> already = refunded.computeIfAbsent(originalId, k -> new HashMap<>());
            for (int j = 0; j < d.lines().size(); j++) {
                ReceiptLine l = d.lines().get(j);
                int soldQty = soldHere.getOrDefault(l.sku(), 0);
                int before = already.getOrDefault(l.sku(), 0);
                String line = at.apply(i) + "lines[" + j + "]";
                if (soldQty == 0) {
                    errors.add(Refusals.CODES.of(line + ".sku", "notSold", "was not sold on receipt " + d.originalReceiptNo()));
                } else if (before + l.quantity() > soldQty) {
                    int left = soldQty - before;
                    errors.add(Refusals.CODES.of(line + ".quantity", "refundsTooMany", left, "refunds " + l.quantity()
                            + " but only " + left + " of the " + soldQty + " sold on receipt " + d.originalReceiptNo()
                            + " are left to refund"));
                } else {
                    already.merge(l.sku(), l.quantity(), Integer::sum);
                }
            }
        }

        private void failOnErrors() {
            if (errors.isEmpty()) {
                return;
            }
            // Malformed input is a bad request; well-formed receipts that break a rule are unprocessable.
            HttpStatus status = malformed.isEmpty() ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST;
            throw new ApiProblem(status, errors.getFirst().field() + ": " + errors.getFirst().reason(), errors);
        }

        /**
         * Recognises (or creates) the receipts' customers and holds them with the originals' customers.
         * WHY ONE RESOLUTION FOR ALL STORES: resolving store by store claimed a batch's new identities in
         * the order of its stores, so two batches naming the same customers at different stores could
         * each wait for a claim of the other's. A new customer is registered where and when the batch's
         * earliest receipt of theirs was made (an import of last year's receipts makes customers who
         * joined last year, not on the day of the import).
         */
        private void holdCustomers() {
            Map<Identity, Customers.Origin> origins = new LinkedHashMap<>();
            for (int i : fresh) {
                ReceiptDraft d = drafts.get(i);
                Identity who = d.customer();
                if (who == null || who.isEmpty()) {
                    continue;
                }
                origins.merge(who, new Customers.Origin(stores.get(d.storeCode()).id(), ReceiptChecks.channel(d),
                        d.purchasedAt()), Customers.Origin::earlier);
            }
            if (!origins.isEmpty()) {
                try {
                    resolved.putAll(customers.resolveOrCreateAll(origins));
                } catch (ApiProblem e) {
                    throw placed(e);
                }
            }
            Map<Long, Instant> history = history(origins);
            living = holdLiving(resolved.values(), history);
        }

        /**
         * The customers whose receipts here are older than a day, with the earliest: history being
         * imported, which may predate when they joined. WHY NOT EVERY BATCH: a till's receipt is minutes
         * old and cannot, so live intake pays neither the check nor the stronger hold.
         */
        private Map<Long, Instant> history(Map<Identity, Customers.Origin> origins) {
            Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
            Map<Long, Instant> history = new HashMap<>();
            origins.forEach((who, origin) -> {
                if (origin.registeredAt().isBefore(dayAgo)) {
                    history.merge(resolved.get(who), origin.registeredAt(), (a, b) -> a.isBefore(b) ? a : b);
                }
            });
            return history;
        }

        /** Each receipt's customer as held; a refund's is its sale's, and one naming someone else is refused. */
        private void assignCustomers() {
            for (int i : fresh) {
                ReceiptDraft d = drafts.get(i);
                Identity who = d.customer();
                Long customer = who == null || who.isEmpty() ? null : living.get(resolved.get(who));
                if (isRefund(d)) {
                    Long originalCustomer = living.getOrDefault(originalCustomer(i), originalCustomer(i));
                    if (customer == null) {
                        customer = originalCustomer; // a till rarely scans the member card again for a refund
                    } else if (!customer.equals(originalCustomer)) {
                        errors.add(Refusals.CODES.of(at.apply(i) + "customer", "notTheOriginalsCustomer",
                                "is not the customer of receipt " + d.originalReceiptNo()));
                    }
                }
                customerIds.put(i, customer);
            }
        }

        /**
         * The receipts' customers as they are now (a customer merged since it was recognised, or since
         * the original sale, counts as the survivor), held so that a merge cannot run between here and
         * the commit and leave a receipt behind under the merged customer. The originals' customers are
         * those of the unlocked read: a merge of one of them now waits for this call.
         */
        private Map<Long, Long> holdLiving(Collection<Long> resolved, Map<Long, Instant> history) {
            Set<Long> ids = new HashSet<>(resolved);
            originals.values().stream().map(Stored::customerId).filter(c -> c != null).forEach(ids::add);
            // A HashMap: anonymous sales ask for null.
            return new HashMap<>(history.isEmpty() ? customers.holdLiving(ids)
                    : customers.holdLivingJoinedBy(ids, history));
        }

        private Long originalCustomer(int i) {
            Stored original = originals.get(i);
            return original != null ? original.customerId() : customerIds.get(firstIndex.get(originalKey(i)));
        }

        /** Which receipt an identity the customers module refused came with, so the error names it. */
        private ApiProblem placed(ApiProblem e) {
            List<FieldError> placed = new ArrayList<>();
            for (int i : fresh) {
                Identity who = drafts.get(i).customer();
                if (who == null || who.isEmpty()) {
                    continue;
                }
                try {
                    customers.find(who);
                } catch (ApiProblem p) {
                    // The customers module names its fields "customer.phone"; put the receipt's place in front.
                    p.errors().forEach(f -> placed.add(f.at(at.apply(i)
                            + (f.field().startsWith("customer") ? "" : "customer.") + f.field())));
                } catch (RuntimeException ignored) {
                    // the lookup of a bad identity may fail in other ways; the original problem still stands
                }
            }
            return placed.isEmpty() ? e : new ApiProblem(e.status(), placed.getFirst().field() + ": "
                    + placed.getFirst().reason(), placed);
        }

        private List<IntakeResult> write() {
            Map<String, Sku> skus = catalog.skusRegisteringUnknown(skuNames());
            List<NewReceipt> sales = newReceipts(false, Map.of());
            Map<Key, Long> written = new HashMap<>(rows.insert(sales, keyedLines(sales, skus)));
            Map<Key, Long> saleIds = new HashMap<>(written);
            raced(written).forEach((key, s) -> saleIds.put(key, s.id()));
            List<NewReceipt> refunds = newReceipts(true, saleIds);
            written.putAll(rows.insert(refunds, keyedLines(refunds, skus)));
            Map<Key, Stored> raced = raced(written);
            List<EventFeed.NewEvent> events = new ArrayList<>();
            List<IntakeResult> results = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                ReceiptDraft d = drafts.get(i);
                Stored before = stored.containsKey(keys[i]) ? stored.get(keys[i]) : raced.get(keys[i]);
                if (before != null) {
                    results.add(new IntakeResult(d.receiptNo(), before.id(), before.customerId(), before.totalCents(), false));
                    continue;
                }
                long id = written.get(keys[i]);
                boolean first = firstIndex.get(keys[i]) == i;
                Long customer = customerIds.get(firstIndex.get(keys[i]));
                long total = total(drafts.get(firstIndex.get(keys[i])));
                results.add(new IntakeResult(d.receiptNo(), id, customer, total, first));
                if (first) {
                    events.add(event(i, id, customer, total, lines(id, customer, d, skus)));
                }
            }
            feed.appendAll(events);
            return results;
        }

        /** Receipts another call wrote between our look-up and our insert: answered as replays. */
        private Map<Key, Stored> raced(Map<Key, Long> written) {
            Set<Key> missing = new LinkedHashSet<>();
            for (int i : fresh) {
                if (!written.containsKey(keys[i])) {
                    missing.add(keys[i]);
                }
            }
            return rows.find(missing, false);
        }

        /** The sales (or, with {@code saleIds} of this call's sales, the refunds) to insert. */
        private List<NewReceipt> newReceipts(boolean refunds, Map<Key, Long> saleIds) {
            List<NewReceipt> list = new ArrayList<>();
            for (int i : fresh) {
                ReceiptDraft d = drafts.get(i);
                if (isRefund(d) != refunds) {
                    continue;
                }
                Long originalId = null;
                if (refunds) {
                    Stored original = originals.get(i);
                    originalId = original != null ? original.id() : saleIds.get(originalKey(i));
                    originalIds.put(i, originalId);
                }
                long discount = d.lines().stream().mapToLong(ReceiptLine::discountCents).sum();
                long storeId = stores.get(d.storeCode()).id();
                list.add(new NewReceipt(keys[i], ReceiptChecks.kind(d), customerIds.get(i), storeId, d.purchasedAt(),
                        ReceiptChecks.channel(d), d.paymentMethod(), staffIds.get(storeId + "/" + d.staffCode()),
                        blankToNull(d.staffCode()), total(d), discount, originalId, refunds ? d.reasonCode() : null));
            }
            return list;
        }

        /** The lines of these receipts, by receipt key: written in the same statement as the receipts. */
        private List<ReceiptRows.KeyedLine> keyedLines(List<NewReceipt> receipts, Map<String, Sku> skus) {
            List<ReceiptRows.KeyedLine> list = new ArrayList<>();
            for (NewReceipt r : receipts) {
                ReceiptDraft d = drafts.get(firstIndex.get(r.key()));
                lines(0, r.customerId(), d, skus).forEach(l -> list.add(new ReceiptRows.KeyedLine(r.key(), l)));
            }
            return list;
        }

        private List<NewLine> lines(long receiptId, Long customer, ReceiptDraft d, Map<String, Sku> skus) {
            List<NewLine> list = new ArrayList<>(d.lines().size());
            for (int j = 0; j < d.lines().size(); j++) {
                ReceiptLine l = d.lines().get(j);
                Sku sku = skus.get(l.sku());
                list.add(new NewLine(receiptId, j + 1, customer, sku.id(), l.sku(), sku.categoryCode(), l.quantity(),
                        l.unitPriceCents(), l.discountCents(), amount(l), blankToNull(l.couponCode())));
            }
            return list;
        }

        private EventFeed.NewEvent event(int i, long id, Long customer, long total, List<NewLine> lines) {
            ReceiptDraft d = drafts.get(i);
            boolean refund = isRefund(d);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("receiptId", id);
            // The sender's own key: a till that redeemed points or coupons for this transaction finds it by them.
            payload.put("source", d.source());
            payload.put("receiptNo", d.receiptNo());
            payload.put("kind", ReceiptChecks.kind(d));
            payload.put("storeId", stores.get(d.storeCode()).id());
            payload.put("channel", ReceiptChecks.channel(d));
            payload.put("paymentMethod", d.paymentMethod());
            payload.put("staffId", staffIds.get(stores.get(d.storeCode()).id() + "/" + d.staffCode()));
            payload.put("totalCents", total);
            payload.put("discountCents", lines.stream().mapToLong(NewLine::discountCents).sum());
            if (refund) {
                payload.put("originalReceiptId", originalIds.get(i));
                payload.put("reasonCode", d.reasonCode());
            }
            payload.put("lines", lines.stream().map(l -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("skuId", l.skuId());
                line.put("category", l.categoryCode());
                line.put("quantity", l.quantity());
                line.put("amountCents", l.amountCents());
                return line;
            }).toList());
            payload.put("couponCodes", lines.stream().map(NewLine::couponCode).filter(c -> c != null).distinct().toList());
            return new EventFeed.NewEvent(TOPIC, refund ? "refund.accepted" : "receipt.accepted", customer,
                    d.purchasedAt(), payload);
        }

        private Map<String, String> skuNames() {
            Map<String, String> names = new HashMap<>();
            for (int i : fresh) {
                for (ReceiptLine l : drafts.get(i).lines()) {
                    String name = blankToNull(l.name());
                    if (names.get(l.sku()) == null) {
                        names.put(l.sku(), name);
                    }
                }
            }
            return names;
        }

        private Key originalKey(int i) {
            return new Key(drafts.get(i).source(), drafts.get(i).originalReceiptNo());
        }
    }

    private static boolean isRefund(ReceiptDraft d) {
        return ReceiptDraft.REFUND.equals(ReceiptChecks.kind(d));
    }

    private static long amount(ReceiptLine l) {
        return l.quantity() * l.unitPriceCents() - l.discountCents();
    }

    private static long total(ReceiptDraft d) {
        return d.lines().stream().mapToLong(ReceiptIntake::amount).sum();
    }

    private static Map<String, Integer> quantities(ReceiptDraft d) {
        Map<String, Integer> q = new HashMap<>();
        d.lines().forEach(l -> q.merge(l.sku(), l.quantity(), Integer::sum));
        return q;
    }

    private static Set<Long> ids(Map<Key, Stored> found) {
        Set<Long> ids = new LinkedHashSet<>();
        found.values().forEach(s -> ids.add(s.id()));
        return ids;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
