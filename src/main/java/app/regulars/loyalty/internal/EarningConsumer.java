package app.regulars.loyalty.internal;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.loyalty.LoyaltyProgram.EarningRule;
import app.regulars.loyalty.LoyaltyProgram.Settings;
import app.regulars.loyalty.LoyaltyProgram.Tier;
import app.regulars.loyalty.internal.EarningRules.Basket;
import app.regulars.loyalty.internal.EarningRules.Line;
import app.regulars.loyalty.internal.EarningRules.Outcome;
import app.regulars.loyalty.internal.Ledger.NewLot;
import app.regulars.platform.FeedConsumer;
import app.regulars.platform.FeedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Earns and reverses points from the feed, inside the pump's transaction (docs/decisions/0002):
 * receipts earn by the rules in force on their day, refunds reverse their receipt's share, sign-ups
 * and interactions earn bonuses. Every ledger write is keyed by the event's subject (receipt,
 * refund, interaction, customer), so even a second delivery could not earn twice.
 */
@Component
class EarningConsumer implements FeedConsumer {

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final Programme programme;
    private final TierKeeper tiers;
    private final CustomerProfiles profiles;
    private final Catalog catalog;
    private final Clock clock;
    private final ReceiptsInBulk bulk;

    EarningConsumer(JdbcTemplate jdbc, Ledger ledger, Programme programme, TierKeeper tiers, CustomerProfiles profiles,
                    Catalog catalog, Clock clock, ReceiptsInBulk bulk) {
        this.bulk = bulk;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.programme = programme;
        this.tiers = tiers;
        this.profiles = profiles;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "loyalty-earning";
    }

    /**
     * Plain receipts cost a handful of statements per run, other events about fifteen each: batches of
     * 1,000 keep the pump's transaction (which holds back every consumer's horizon) well under a second.
     */
    @Override
    public int batchSize() {
        return 1000;
    }

    @Override
    public Set<String> topics() {
        return Set.of("purchases", "customers", "interactions");
    }

    @Override
    public void apply(List<FeedEvent> events) {
        Map<Long, Long> redirects = redirects(events);
        List<FeedEvent> relevant = new ArrayList<>();
        for (FeedEvent raw : events) {
            boolean wanted = raw.customerId() != null && switch (raw.type()) {
                case "receipt.accepted", "refund.accepted", "customer.created" -> true;
                default -> raw.type().startsWith("interaction.");
            };
            if (wanted) {
                relevant.add(redirects.containsKey(raw.customerId()) ? new FeedEvent(raw.id(), raw.topic(), raw.type(),
                        redirects.get(raw.customerId()), raw.occurredAt(), raw.payload()) : raw);
            }
        }
        if (relevant.isEmpty()) {
            return;
        }
        Batch batch = new Batch(programme.settings(), programme.rules(), programme.tiers());
        Map<Long, Ledger.AccountRow> accounts = new HashMap<>(ledger.lockAll(relevant.stream()
                .filter(e -> e.type().equals("receipt.accepted")).map(FeedEvent::customerId).toList(), clock.instant()));
        // Plain receipts are earned in runs (each customer once per run, so the outcome is the one-by-one
        // outcome); anything else flushes the run and is applied on its own, in feed order.
        Run run = new Run();
        for (FeedEvent e : relevant) {
            if (e.type().equals("receipt.accepted")) {
                ReceiptsInBulk.Receipt r = ReceiptsInBulk.Receipt.of(e, this::zone);
                Ledger.AccountRow account = accounts.get(r.customerId());
                if (account != null && batch.plain(r, account)) {
                    if (run.has(r.customerId())) {
                        flush(run, batch, accounts);
                    }
                    run.add(r);
                    continue;
                }
            }
            if (!batch.mayEarn(e)) {
                continue; // a sign-up or interaction no rule rewards: nothing to write, no reason to end the run
            }
            if (run.has(e.customerId())) {
                flush(run, batch, accounts); // this customer's receipts in the run come first
            }
            switch (e.type()) {
                case "receipt.accepted" -> batch.receipt(e);
                case "refund.accepted" -> batch.refund(e);
                case "customer.created" -> batch.signUp(e);
                default -> batch.interaction(e);
            }
            // What was applied on its own changed this customer's account. Other customers of the run are
            // untouched, except a referrer's bonus: credits add, so their order does not matter, and the run
            // reads only tier and first receipt, which a bonus leaves alone (a debt it misses is repaid at the
            // referrer's next one-by-one credit).
            if (accounts.containsKey(e.customerId())) {
                accounts.put(e.customerId(), ledger.lock(e.customerId(), clock.instant()));
            }
        }
        flush(run, batch, accounts);
    }

    private void flush(Run run, Batch batch, Map<Long, Ledger.AccountRow> accounts) {
        if (run.receipts.isEmpty()) {
            return;
        }
        bulk.earn(run.receipts, batch.settings, batch.rules, batch.tierList, accounts, programme.zone()); // keeps accounts current
        run.receipts.clear();
        run.customers.clear();
    }

    /** Plain receipts waiting to be earned together, and their customers (each at most once). */
    private static final class Run {
        final List<ReceiptsInBulk.Receipt> receipts = new ArrayList<>();
        final Set<Long> customers = new HashSet<>();

        boolean has(long customerId) {
            return customers.contains(customerId);
        }

        void add(ReceiptsInBulk.Receipt r) {
            receipts.add(r);
            customers.add(r.customerId());
        }
    }

    /** The configuration read once per batch of events. */
    private final class Batch {
        final Settings settings;
        final EarningRules rules;
        final List<Tier> tierList;

        Batch(Settings settings, List<EarningRule> rules, List<Tier> tierList) {
            this.settings = settings;
            this.rules = new EarningRules(rules, settings.multiplierMode());
            this.tierList = tierList;
        }

        /** False for a sign-up or interaction that no active rule rewards. */
        boolean mayEarn(FeedEvent e) {
            JsonNode p = e.payload();
            Long storeId = p.hasNonNull("storeId") ? Long.valueOf(p.path("storeId").asLong())
                    : p.hasNonNull("registrationStoreId") ? Long.valueOf(p.path("registrationStoreId").asLong()) : null;
            LocalDate day = LocalDate.ofInstant(e.occurredAt(), zone(storeId));
            return switch (e.type()) {
                case "customer.created" -> rules.bonus("signup_bonus", day, storeId).isPresent();
                case "receipt.accepted", "refund.accepted" -> true;
                default -> rules.active("interaction", day, storeId).stream()
                        .anyMatch(r -> p.path("type").asText().equals(r.terms().interactionType()));
            };
        }

        /** A receipt with no bonus to decide and no debt to repay: earned in a run. */
        boolean plain(ReceiptsInBulk.Receipt r, Ledger.AccountRow account) {
            if (account.debt() > 0) {
                return false;
            }
            if (account.firstReceiptId() != null || beforeProgramme(r.event().occurredAt())) {
                return true;
            }
            return rules.bonus("first_purchase_bonus", r.day(), r.storeId()).isEmpty()
                    && rules.bonus("referral", r.day(), r.storeId()).isEmpty();
        }

        boolean beforeProgramme(Instant at) {
            return settings.earnFrom() != null && at.isBefore(settings.earnFrom());
        }

        void receipt(FeedEvent e) {
            JsonNode p = e.payload();
            long customer = e.customerId();
            long receiptId = p.path("receiptId").asLong();
            Long storeId = p.hasNonNull("storeId") ? p.path("storeId").asLong() : null;
            ZoneId zone = zone(storeId);
            Instant at = e.occurredAt();
            LocalDate day = LocalDate.ofInstant(at, zone);
            Ledger.AccountRow account = ledger.lock(customer, clock.instant());
            long total = p.path("totalCents").asLong();
            boolean first = account.firstReceiptId() == null;
            List<Line> lines = new ArrayList<>();
            for (JsonNode l : p.path("lines")) {
                lines.add(new Line(l.path("skuId").asLong(), l.hasNonNull("category") ? l.path("category").asText() : null,
                        l.path("amountCents").asLong()));
            }
            boolean earns = !beforeProgramme(at);
            Optional<EarningRule> referral = first && earns ? rules.bonus("referral", day, storeId) : Optional.empty();
            CustomerProfile profile = earns && (!rules.active("birthday_month", day, storeId).isEmpty() || referral.isPresent())
                    ? profiles.profile(customer).orElse(null) : null;
            Tier tier = TierKeeper.byCode(tierList, account.tierCode());
            Outcome outcome = earns ? rules.earn(new Basket(storeId, day, total, lines),
                    profile == null ? null : profile.birthMmdd(), tier.pointsMultiplier())
                    : EarningRules.nothing(lines);
            SkuShares shares = SkuShares.earned(outcome);
            // The receipt's record first: written once, whatever delivers the event again.
            if (jdbc.update("""
                    insert into receipt_earning (receipt_id, customer_id, source, receipt_no, store_id, purchased_at, amount_cents,
                                                 earned, sku_ids, sku_amount_cents, sku_points_milli)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""", receiptId, customer, text(p, "source"),
                    text(p, "receiptNo"), storeId, Timestamp.from(at), total, outcome.points(), shares.skuIds(),
                    shares.amountCents(), shares.pointsMilli()) == 0) {
                return;
            }
            if (first) {
                jdbc.update("update points_account set first_receipt_id = ? where customer_id = ?", receiptId, customer);
            }
            Instant available = at.plusSeconds(86_400L * settings.pendingDays());
            Instant expires = Expiry.of(settings, at, zone);
            if (outcome.points() > 0) {
                ledger.credit(customer, "earn", reference(p, receiptId), "receipt:" + receiptId + ":earn", receiptId, at,
                        List.of(new NewLot(outcome.points(), available, expires)),
                        Map.of("rules", outcome.applied(), "tierMultiplier", tier.pointsMultiplier()), "system");
            }
            if (first && earns) {
                rules.bonus("first_purchase_bonus", day, storeId).ifPresent(r -> ledger.credit(customer, "bonus",
                        r.name(), "receipt:" + receiptId + ":first", receiptId, at,
                        List.of(new NewLot(r.terms().points(), available, expires)), Map.of("ruleId", r.id()), "system"));
                Long referrer = profile == null ? null : profile.referrerCustomerId();
                if (referral.isPresent() && referrer != null && referrer != customer) {
                    EarningRule r = referral.get();
                    if (EarningRules.nz(r.terms().refereePoints()) > 0) {
                        ledger.credit(customer, "bonus", r.name(), "receipt:" + receiptId + ":referee", receiptId, at,
                                List.of(new NewLot(r.terms().refereePoints(), available, expires)),
                                Map.of("ruleId", r.id(), "role", "referee"), "system");
                    }
                    if (EarningRules.nz(r.terms().referrerPoints()) > 0) {
                        ledger.credit(referrer, "bonus", r.name(), "receipt:" + receiptId + ":referrer", receiptId, at,
                                List.of(new NewLot(r.terms().referrerPoints(), available, expires)),
                                Map.of("ruleId", r.id(), "role", "referrer", "refereeId", customer), "system");
                    }
                }
            }
            // A till that took points as cash before sending the receipt is linked to it now.
            if (p.hasNonNull("source") && p.hasNonNull("receiptNo")) {
                jdbc.update("update cash_redemption set receipt_id = ? where source = ? and transaction_id = ? and receipt_id is null",
                        receiptId, text(p, "source"), text(p, "receiptNo"));
            }
            tiers.record(customer, day, total, outcome.points());
            tiers.upgradeIfReached(customer, tier, clock.instant(), zone, settings, tierList);
        }

        void refund(FeedEvent e) {
            JsonNode p = e.payload();
            long refundId = p.path("receiptId").asLong();
            long original = p.path("originalReceiptId").asLong();
            Optional<Long> owner = jdbc.query("select customer_id from receipt_earning where receipt_id = ?",
                    (rs, i) -> rs.getLong(1), original).stream().findFirst();
            if (owner.isEmpty()) {
                return; // an anonymous sale, or one from before loyalty: nothing was earned
            }
            long customer = owner.get();
            ledger.lock(customer, clock.instant());
            // Read under the account lock, which every refund of this customer's receipts takes first.
            EarnedReceipt re = jdbc.queryForObject("""
                    select purchased_at, store_id, amount_cents, earned, refunded_cents, reversed,
                           sku_ids, sku_amount_cents, sku_points_milli, sku_refunded_cents
                    from receipt_earning where receipt_id = ?""", (rs, i) -> EarnedReceipt.read(rs), original);
            SkuShares shares = re.shares();
            for (JsonNode l : p.path("lines")) {
                shares = shares.refund(l.path("skuId").asLong(), l.path("amountCents").asLong());
            }
            long refunded = Math.min(re.amountCents(), re.refundedCents() + Math.max(0, p.path("totalCents").asLong()));
            long delta = Math.max(0, shares.reversalTarget(re.earned()) - re.reversed());
            Instant at = e.occurredAt();
            if (delta > 0) {
                ledger.reverse(customer, delta, reference(p, refundId), "refund:" + refundId + ":reverse", original, at,
                        "negative".equals(settings.shortfallPolicy()), Map.of("refundReceiptId", refundId));
            }
            jdbc.update("""
                    update receipt_earning set refunded_cents = ?, reversed = reversed + ?, sku_refunded_cents = ?
                    where receipt_id = ?""", refunded, delta, shares.refundedCents(), original);
            if (refunded >= re.amountCents()) {
                reverseBonuses(original, refundId, at);
            }
            restoreCash(original, refundId, refunded, re.amountCents(), at);
            LocalDate day = re.purchasedAt().atZone(zone(re.storeId())).toLocalDate();
            tiers.record(customer, day, -(refunded - re.refundedCents()), -delta);
        }

        /** First-purchase and referral bonuses stand with their receipt: a whole refund takes them back. */
        private void reverseBonuses(long original, long refundId, Instant at) {
            List<long[]> bonuses = jdbc.query("""
                    select id, customer_id, points from points_entry
                    where receipt_id = ? and kind = 'bonus' and points > 0 order by id""",
                    (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, original);
            for (long[] b : bonuses) {
                ledger.reverse(b[1], b[2], "refund", "refund:" + refundId + ":bonus:" + b[0], original, at,
                        "negative".equals(settings.shortfallPolicy()), Map.of("refundReceiptId", refundId, "bonusEntryId", b[0]));
            }
        }

        /** Points a till took as cash on this receipt come back in proportion to what was refunded. */
        private void restoreCash(long original, long refundId, long refunded, long amount, Instant at) {
            List<long[]> taken = jdbc.query("select id, customer_id, points, restored, entry_id from cash_redemption where receipt_id = ?",
                    (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}, original);
            for (long[] c : taken) {
                long target = amount <= 0 || refunded >= amount ? c[2] : c[2] * refunded / amount;
                long delta = target - c[3];
                if (delta <= 0) {
                    continue;
                }
                List<NewLot> lots = new ArrayList<>();
                long left = delta;
                for (long[] draw : ledger.draws(c[4])) {
                    long give = Math.min(left, draw[1]);
                    if (give > 0) {
                        lots.add(new NewLot(give, at, ledger.expiryOf(draw[0])));
                        left -= give;
                    }
                }
                ledger.credit(c[1], "restore", "refund", "refund:" + refundId + ":restore:" + c[0], original, at, lots,
                        Map.of("cashRedemptionId", c[0]), "system");
                jdbc.update("update cash_redemption set restored = restored + ? where id = ?", delta, c[0]);
            }
        }

        void signUp(FeedEvent e) {
            if (beforeProgramme(e.occurredAt())) {
                return;
            }
            JsonNode p = e.payload();
            Long storeId = p.hasNonNull("registrationStoreId") ? p.path("registrationStoreId").asLong() : null;
            ZoneId zone = zone(storeId);
            rules.bonus("signup_bonus", LocalDate.ofInstant(e.occurredAt(), zone), storeId).ifPresent(r ->
                    ledger.credit(e.customerId(), "bonus", r.name(), "signup:" + e.customerId(), null, e.occurredAt(),
                            List.of(new NewLot(r.terms().points(), e.occurredAt(), Expiry.of(settings, e.occurredAt(), zone))),
                            Map.of("ruleId", r.id()), "system"));
        }

        void interaction(FeedEvent e) {
            if (beforeProgramme(e.occurredAt())) {
                return;
            }
            JsonNode p = e.payload();
            String type = p.path("type").asText();
            Long storeId = p.hasNonNull("storeId") ? p.path("storeId").asLong() : null;
            ZoneId zone = zone(storeId);
            LocalDate day = LocalDate.ofInstant(e.occurredAt(), zone);
            Optional<EarningRule> rule = rules.active("interaction", day, storeId).stream()
                    .filter(r -> type.equals(r.terms().interactionType()))
                    .max((a, b) -> Long.compare(EarningRules.nz(a.terms().points()), EarningRules.nz(b.terms().points())));
            if (rule.isEmpty()) {
                return;
            }
            EarningRule r = rule.get();
            int cap = r.terms().dailyCap() == null ? 1 : r.terms().dailyCap();
            List<Integer> counted = jdbc.query("""
                    insert into interaction_award as a (customer_id, day, rule_id, awarded) values (?, ?, ?, 1)
                    on conflict (customer_id, day, rule_id) do update set awarded = a.awarded + 1 where a.awarded < ?
                    returning awarded""", (rs, i) -> rs.getInt(1), e.customerId(), day, r.id(), cap);
            if (counted.isEmpty()) {
                return; // the day's cap is reached
            }
            ledger.credit(e.customerId(), "interaction", r.name(), "interaction:" + p.path("interactionId").asLong(), null,
                    e.occurredAt(), List.of(new NewLot(r.terms().points(), e.occurredAt(), Expiry.of(settings, e.occurredAt(), zone))),
                    Map.of("ruleId", r.id(), "type", type), "system");
        }
    }

    /** A receipt's earning record as a refund reads it. */
    private record EarnedReceipt(Instant purchasedAt, Long storeId, long amountCents, long earned, long refundedCents,
                                 long reversed, SkuShares shares) {

        static EarnedReceipt read(ResultSet rs) throws SQLException {
            return new EarnedReceipt(rs.getTimestamp("purchased_at").toInstant(), rs.getObject("store_id", Long.class),
                    rs.getLong("amount_cents"), rs.getLong("earned"), rs.getLong("refunded_cents"), rs.getLong("reversed"),
                    SkuShares.read(rs));
        }
    }

    /** Customers of the batch merged away, and their survivors: their events count for the survivor. */
    private Map<Long, Long> redirects(List<FeedEvent> events) {
        Long[] ids = events.stream().map(FeedEvent::customerId).filter(c -> c != null).distinct().toArray(Long[]::new);
        Map<Long, Long> map = new java.util.HashMap<>();
        if (ids.length > 0) {
            jdbc.query("select merged_id, survivor_id from loyalty_redirect where merged_id = any(?)", rs -> {
                map.put(rs.getLong(1), rs.getLong(2));
            }, (Object) ids);
        }
        return map;
    }

    private ZoneId zone(Long storeId) {
        if (storeId == null) {
            return programme.zone();
        }
        return catalog.store(storeId).map(Store::timezone).filter(z -> z != null).orElse(programme.zone());
    }

    /** The till's receipt number, what people recognise a receipt by. */
    private static String reference(JsonNode p, long receiptId) {
        return p.hasNonNull("receiptNo") ? p.path("receiptNo").asText() : "#" + receiptId;
    }

    private static String text(JsonNode p, String field) {
        return p.hasNonNull(field) ? p.path(field).asText() : null;
    }
}
