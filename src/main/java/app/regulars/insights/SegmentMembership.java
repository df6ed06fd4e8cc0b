package app.regulars.insights;

import app.regulars.insights.Definitions.Definition;
import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.Rule;
import app.regulars.insights.rule.RuleChecker;
import app.regulars.insights.rule.RuleError;
import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.Vocabulary;
import app.regulars.platform.EventFeed;
import app.regulars.platform.FeedWake;
import app.regulars.platform.RegularsProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The current members of every tag and segment, as RoaringBitmaps over the engine's ordinals, and the
 * one writer that keeps them current.
 *
 * <p>PostgreSQL holds the memberships last announced ({@code customer_tag}, {@code segment_member});
 * each change is written there in the same transaction as its feed event ({@code segment.entered},
 * {@code segment.exited}, {@code tag.added}, {@code tag.removed}). At start the bitmaps are loaded from
 * those rows, so after a restart the first evaluation announces exactly what changed while the
 * application was down: nothing twice, nothing lost. The first evaluation of a new segment or automatic
 * tag is its baseline: members are stored without events (a new segment is not a change in anyone's
 * behaviour, and a built-in on a large chain would flood the feed).
 *
 * <p>The engine calls back after each batch of purchases and at midnight; the calls only mark the state
 * dirty, and one worker thread re-evaluates every rule in dependency order (a segment that names another
 * segment comes after it) and writes the differences. Bursts of purchases thus coalesce into one round.
 * A round after purchases looks only at the customers they touched: a rule about one customer's own
 * facts cannot change for anyone else. Rules on RFM scores can (a purchase moves the quintiles of
 * everyone), so they are left to a full round, which runs at most {@link #RFM_EVERY} after the first
 * round that skipped them; midnight, a changed definition and a manual tag also ask for a full round. A
 * rule the last round could not evaluate (its members stayed as they were) is evaluated for everyone, and
 * so are the rules that name it.
 */
@Component
class SegmentMembership implements Memberships, SmartLifecycle {

    static final String TOPIC = "segments";

    private static final Logger log = LoggerFactory.getLogger(SegmentMembership.class);

    /** Members by definition key ("tag#3", "segment#12"); bitmaps are never changed once published. */
    private volatile Map<String, RoaringBitmap> members = Map.of();
    /** Definition keys by how rules name them ("tag:staff" → "tag#3"). */
    private volatile Map<String, String> names = Map.of();

    private final ObjectProvider<RuleEngine> engines;
    private final Definitions definitions;
    private final RuleVocabulary vocabulary;
    private final EventFeed feed;
    private final FeedWake wake;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ZoneId zone;

    /** Guards {@link #members} updates: the worker's rounds and manual tag changes. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition signalled = signalLock.newCondition();
    private boolean dirty;
    /** What the next round looks at (under signalLock): everyone, or the customers touched since the last. */
    private boolean full = true;
    private RoaringBitmap touched = new RoaringBitmap();
    /** Worker-thread state: when an incremental round first skipped the RFM rules, 0 when none is behind. */
    private long rfmBehindSince;

    /** How long rules on RFM scores may lag behind purchases. */
    static final Duration RFM_EVERY = Duration.ofSeconds(60);
    /** More touched customers than this, and a full round costs no more than looking at each. */
    private static final int FULL_ABOVE = 100_000;
    private volatile boolean running;
    private volatile boolean loaded;
    private volatile long rounds;
    private Thread worker;
    private final Map<Long, Integer> lastSizes = new HashMap<>();
    private LocalDate lastSizeDay;
    /** Manual tags on customers the index did not know yet: (tag key, customer id), placed when it does. */
    private final Set<Map.Entry<String, Long>> unplaced = new HashSet<>();

    SegmentMembership(ObjectProvider<RuleEngine> engines, Definitions definitions, RuleVocabulary vocabulary,
                      EventFeed feed, FeedWake wake, JdbcTemplate jdbc, TransactionTemplate tx, Clock clock,
                      RegularsProperties properties) {
        this.engines = engines;
        this.wake = wake;
        this.definitions = definitions;
        this.vocabulary = vocabulary;
        this.feed = feed;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.zone = properties.timezone();
    }

    // ---- Memberships

    @Override
    public RoaringBitmap tag(String name) {
        return lookup(names, members, Kind.TAG.key(name));
    }

    @Override
    public RoaringBitmap segment(String name) {
        return lookup(names, members, Kind.SEGMENT.key(name));
    }

    private static RoaringBitmap lookup(Map<String, String> names, Map<String, RoaringBitmap> bitmaps, String nameKey) {
        String key = names.get(nameKey);
        return key == null ? null : bitmaps.get(key);
    }

    /** The current members (ordinals) of a definition; empty before the first evaluation. */
    RoaringBitmap members(Definition d) {
        RoaringBitmap bits = members.get(d.key());
        return bits == null ? new RoaringBitmap() : bits;
    }

    /** Rules may name a definition created or renamed since the last round as soon as it is committed. */
    void definitionsChanged() {
        List<Definition> all = new ArrayList<>(definitions.all(Kind.TAG));
        all.addAll(definitions.all(Kind.SEGMENT));
        names = nameMap(all);
        signal();
    }

    private static Map<String, String> nameMap(List<Definition> all) {
        Map<String, String> map = new HashMap<>();
        all.forEach(d -> map.put(d.nameKey(), d.key()));
        return Map.copyOf(map);
    }

    /** Whether the bitmaps have been loaded (until then, sizes read from the database). */
    boolean loaded() {
        return loaded;
    }

    /** How many evaluation rounds have completed, for tests waiting on "the next round". */
    long rounds() {
        return rounds;
    }

    // ---- lifecycle

    @Override
    public void start() {
        if (engines.getIfAvailable() == null) {
            log.warn("No insights engine in this build: tags and segments are stored but not evaluated");
            return;
        }
        running = true;
        worker = Thread.ofPlatform().daemon().name("segment-membership").start(this::work);
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100; // after the feed pump and the engine start
    }

    /** Asks for a full round soon (rules changed, a manual tag changed, an earlier round failed). */
    void signal() {
        signalLock.lock();
        try {
            dirty = true;
            full = true;
            signalled.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    /** Asks for a round over the customers the engine's last batch touched (everyone at midnight). */
    private void touched(RoaringBitmap ordinals) {
        signalLock.lock();
        try {
            dirty = true;
            touched.or(ordinals);
            full |= touched.getCardinality() > FULL_ABOVE;
            signalled.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    private void work() {
        RuleEngine engine = engines.getObject();
        try {
            while (running && !engine.ready()) {
                Thread.sleep(50);
            }
            load(engine);
            engine.onChange(this::touched);
            signal();
            FeedWake.Pause bulk = wake.pause(0);
            while (running) {
                Round next = awaitRound();
                if (next == null) {
                    continue;
                }
                // WHY: the engine's index does not move while an import applies (its tail steps aside), so a
                // round then (RFM, midnight) only competed with it, writing members with a foreign-key check
                // per row: by all signs 6% of PostgreSQL's samples in one import (BENCHMARKS.md, 2026-12-01).
                // After the load, the round sees it.
                bulk.holdDuringBulkLoad(() -> running);
                try {
                    round(engine, next);
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    log.error("Evaluating tags and segments failed; retrying on the next change", e);
                    Thread.sleep(1000);
                    signal();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everyone ({@code only} null) or the customers some purchases touched. */
    private record Round(RoaringBitmap only) {}

    private Round awaitRound() throws InterruptedException {
        signalLock.lock();
        try {
            if (!dirty) {
                signalled.await(1, TimeUnit.SECONDS);
            }
            if (!dirty && rfmBehindSince != 0 && clock.millis() - rfmBehindSince >= RFM_EVERY.toMillis()) {
                dirty = true;
                full = true;
            }
            if (!dirty) {
                return null;
            }
            Round next = new Round(full ? null : touched);
            dirty = false;
            full = false;
            touched = new RoaringBitmap();
            return next;
        } finally {
            signalLock.unlock();
        }
    }

    /** The memberships last announced, from the database. */
    private void load(RuleEngine engine) {
        exitMerged();
        Map<String, RoaringBitmap> loading = new HashMap<>();
        List<Definition> all = new ArrayList<>(definitions.all(Kind.TAG));
        all.addAll(definitions.all(Kind.SEGMENT));
        Map<Long, String> tagKeys = keys(all, Kind.TAG);
        Map<Long, String> segmentKeys = keys(all, Kind.SEGMENT);
        tagKeys.values().forEach(k -> loading.put(k, new RoaringBitmap()));
        segmentKeys.values().forEach(k -> loading.put(k, new RoaringBitmap()));
        jdbc.query("select tag_id, customer_id from customer_tag", rs -> {
            place(engine, loading, tagKeys.get(rs.getLong(1)), rs.getLong(2));
        });
        jdbc.query("select segment_id, customer_id from segment_member", rs -> {
            place(engine, loading, segmentKeys.get(rs.getLong(1)), rs.getLong(2));
        });
        lock.lock();
        try {
            members = Map.copyOf(loading);
            names = nameMap(all);
            loaded = true;
        } finally {
            lock.unlock();
        }
        log.info("Loaded the members of {} tags and {} segments", tagKeys.size(), segmentKeys.size());
    }

    /**
     * Customers merged away while no round ran (the application stopped between the merge and the next
     * round) leave their segments and automatic tags now: a rebuilt index no longer knows them, so no
     * round would ever see them go. Manual tags moved to the survivor with the merge.
     */
    private void exitMerged() {
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            List<EventFeed.NewEvent> events = new ArrayList<>();
            jdbc.query("""
                    delete from segment_member m using customer c
                    where c.id = m.customer_id and c.merged_into is not null
                    returning m.segment_id, m.customer_id""", rs -> {
                events.add(new EventFeed.NewEvent(TOPIC, "segment.exited", rs.getLong(2), now,
                        payload(Kind.SEGMENT, rs.getLong(1))));
            });
            jdbc.query("""
                    delete from customer_tag t using customer c, tag g
                    where c.id = t.customer_id and c.merged_into is not null and g.id = t.tag_id and g.rule_json is not null
                    returning t.tag_id, t.customer_id""", rs -> {
                events.add(new EventFeed.NewEvent(TOPIC, "tag.removed", rs.getLong(2), now, payload(Kind.TAG, rs.getLong(1))));
            });
            feed.appendAll(events);
            if (!events.isEmpty()) {
                log.info("{} memberships of merged-away customers ended at start", events.size());
            }
        });
    }

    private void place(RuleEngine engine, Map<String, RoaringBitmap> into, String key, long customerId) {
        if (key == null) {
            return;
        }
        int ordinal = engine.ordinalOf(customerId);
        if (ordinal >= 0) {
            into.get(key).add(ordinal);
        } else if (key.startsWith("tag#")) {
            unplaced.add(Map.entry(key, customerId));
        }
    }

    private static Map<Long, String> keys(List<Definition> all, Kind kind) {
        Map<Long, String> keys = new HashMap<>();
        all.stream().filter(d -> d.kind() == kind).forEach(d -> keys.put(d.id(), d.key()));
        return keys;
    }

    // ---- one round

    /** A definition's new members and what changed, before they are written. */
    private record Outcome(Definition definition, RoaringBitmap now, RoaringBitmap entered, RoaringBitmap exited,
                           boolean baseline) {}

    private void round(RuleEngine engine, Round round) {
        lock.lock();
        try {
            placeUnplaced(engine);
            List<Definition> all = new ArrayList<>(definitions.all(Kind.TAG));
            all.addAll(definitions.all(Kind.SEGMENT));
            Vocabulary words = vocabulary.current();
            Map<String, RoaringBitmap> working = new HashMap<>(members);
            // Definitions created since the last round start empty; deleted ones are dropped.
            Set<String> keys = new HashSet<>();
            for (Definition d : all) {
                keys.add(d.key());
                working.putIfAbsent(d.key(), new RoaringBitmap());
            }
            working.keySet().retainAll(keys);
            Map<String, String> roundNames = nameMap(all);
            Memberships during = new Memberships() {
                @Override
                public RoaringBitmap tag(String name) {
                    return lookup(roundNames, working, Kind.TAG.key(name));
                }

                @Override
                public RoaringBitmap segment(String name) {
                    return lookup(roundNames, working, Kind.SEGMENT.key(name));
                }
            };
            List<Outcome> outcomes = new ArrayList<>();
            Map<Definition, RuleMessage> problems = new LinkedHashMap<>();
            List<Definition> ordered = EvaluationOrder.of(all);
            Set<String> onRfm = EvaluationOrder.onRfm(ordered);
            boolean skippedRfm = false;
            // In a round after purchases, the definitions evaluated for everyone: those naming them are too.
            Set<String> forEveryone = new HashSet<>();
            for (Definition d : ordered) {
                if (!d.hasRule()) {
                    continue; // manual tags change only by hand
                }
                // A rule the last round could not evaluate kept the members of before (of its previous
                // text, or from before the purchases since): it is evaluated for everyone again.
                boolean incremental = round.only() != null && d.computedAt() != null && d.problem() == null
                        && (forEveryone.isEmpty()
                                || EvaluationOrder.references(d).stream().noneMatch(forEveryone::contains));
                if (incremental && onRfm.contains(d.nameKey())) {
                    skippedRfm = true;
                    continue; // left to the next full round
                }
                RuleMessage problem = null;
                RoaringBitmap now = null;
                try {
                    Rule rule = d.rule();
                    RuleChecker.check(rule, words);
                    now = incremental
                            ? RoaringBitmap.or(RoaringBitmap.andNot(working.get(d.key()), round.only()),
                                    engine.evaluate(rule, during, round.only()).ordinals())
                            : engine.evaluate(rule, during).ordinals();
                } catch (RuleError e) {
                    problem = recorded(e);
                } catch (RuleReferenceException e) {
                    problem = e.reason();
                }
                problems.put(d, problem);
                if (now == null) {
                    continue; // members stay as they were until the rule is fixed
                }
                if (round.only() != null && !incremental) {
                    forEveryone.add(d.nameKey());
                }
                RoaringBitmap before = working.get(d.key());
                RoaringBitmap entered = RoaringBitmap.andNot(now, before);
                RoaringBitmap exited = RoaringBitmap.andNot(before, now);
                working.put(d.key(), now);
                if (d.computedAt() == null || !entered.isEmpty() || !exited.isEmpty()) {
                    outcomes.add(new Outcome(d, now, entered, exited, d.computedAt() == null));
                }
            }
            tx.executeWithoutResult(status -> write(engine, outcomes, problems, working, all));
            members = Map.copyOf(working);
            names = roundNames;
            rounds++;
            if (round.only() == null) {
                rfmBehindSince = 0;
            } else if (skippedRfm && rfmBehindSince == 0) {
                rfmBehindSince = clock.millis();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a rule the check refuses records: its first problem, where it is (the API has always given
     * that one); the check when the rule is shown finds them all again. The parser, the checker and the
     * JSON reader never throw without a problem.
     */
    private static RuleMessage recorded(RuleError e) {
        return e.problems().isEmpty() ? null : e.problems().getFirst().located();
    }

    private void write(RuleEngine engine, List<Outcome> outcomes, Map<Definition, RuleMessage> problems,
                       Map<String, RoaringBitmap> working, List<Definition> all) {
        Instant now = clock.instant();
        Timestamp at = Timestamp.from(now);
        List<EventFeed.NewEvent> events = new ArrayList<>();
        for (Outcome o : outcomes) {
            Definition d = o.definition();
            Long[] entered = ids(engine, o.entered());
            Long[] exited = ids(engine, o.exited());
            if (d.kind() == Kind.SEGMENT) {
                jdbc.update("insert into segment_member (segment_id, customer_id, entered_at) select ?, unnest(?::bigint[]), ?"
                        + " on conflict do nothing", d.id(), entered, at);
                jdbc.update("delete from segment_member where segment_id = ? and customer_id = any(?::bigint[])", d.id(), exited);
            } else {
                jdbc.update("insert into customer_tag (tag_id, customer_id, added_at) select ?, unnest(?::bigint[]), ?"
                        + " on conflict do nothing", d.id(), entered, at);
                jdbc.update("delete from customer_tag where tag_id = ? and customer_id = any(?::bigint[])", d.id(), exited);
            }
            if (o.baseline()) {
                definitions.markComputed(d.kind(), d.id());
                continue;
            }
            String in = d.kind() == Kind.SEGMENT ? "segment.entered" : "tag.added";
            String out = d.kind() == Kind.SEGMENT ? "segment.exited" : "tag.removed";
            Map<String, Object> payload = payload(d.kind(), d.id());
            for (Long id : entered) {
                events.add(new EventFeed.NewEvent(TOPIC, in, id, now, payload));
            }
            for (Long id : exited) {
                events.add(new EventFeed.NewEvent(TOPIC, out, id, now, payload));
            }
        }
        feed.appendAll(events);
        problems.forEach((d, problem) -> definitions.recordProblem(d.kind(), d.id(), problem));
        recordSizes(all, working);
    }

    static Map<String, Object> payload(Kind kind, long id) {
        return Map.of(kind == Kind.SEGMENT ? "segmentId" : "tagId", id);
    }

    /** The day's size of each segment, written when it changed (or on a new day). */
    private void recordSizes(List<Definition> all, Map<String, RoaringBitmap> working) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (!today.equals(lastSizeDay)) {
            lastSizes.clear();
            lastSizeDay = today;
        }
        for (Definition d : all) {
            if (d.kind() != Kind.SEGMENT) {
                continue;
            }
            int size = working.get(d.key()).getCardinality();
            if (!Integer.valueOf(size).equals(lastSizes.get(d.id()))) {
                jdbc.update("insert into segment_size (segment_id, day, members) values (?, ?, ?)"
                        + " on conflict (segment_id, day) do update set members = excluded.members", d.id(), today, size);
                lastSizes.put(d.id(), size);
            }
        }
    }

    private static Long[] ids(RuleEngine engine, RoaringBitmap ordinals) {
        Long[] ids = new Long[ordinals.getCardinality()];
        int i = 0;
        for (int ordinal : ordinals) {
            ids[i++] = engine.customerIdOf(ordinal);
        }
        return ids;
    }

    private void placeUnplaced(RuleEngine engine) {
        if (unplaced.isEmpty()) {
            return;
        }
        Map<String, RoaringBitmap> next = new HashMap<>(members);
        unplaced.removeIf(e -> {
            int ordinal = engine.ordinalOf(e.getValue());
            RoaringBitmap bits = next.get(e.getKey());
            if (ordinal < 0 || bits == null) {
                return bits == null;
            }
            RoaringBitmap copy = bits.clone();
            copy.add(ordinal);
            next.put(e.getKey(), copy);
            return true;
        });
        members = Map.copyOf(next);
    }

    // ---- manual tags

    /**
     * Adds or removes a manual tag on customers, in the caller's transaction, with one feed event per
     * customer whose tags changed; the bitmaps follow once the caller's transaction has committed.
     * Returns how many customers changed.
     */
    int changeManualTag(Definition tag, Collection<Long> customerIds, boolean add) {
        if (customerIds.isEmpty()) {
            return 0;
        }
        Long[] ids = customerIds.toArray(Long[]::new);
        Instant now = clock.instant();
        List<Long> changed = add
                ? jdbc.queryForList("insert into customer_tag (tag_id, customer_id, added_at)"
                        + " select ?, c, ? from unnest(?::bigint[]) c on conflict do nothing returning customer_id",
                        Long.class, tag.id(), Timestamp.from(now), ids)
                : jdbc.queryForList("delete from customer_tag where tag_id = ? and customer_id = any(?::bigint[])"
                        + " returning customer_id", Long.class, tag.id(), ids);
        Map<String, Object> payload = payload(Kind.TAG, tag.id());
        feed.appendAll(changed.stream()
                .map(id -> new EventFeed.NewEvent(TOPIC, add ? "tag.added" : "tag.removed", id, now, payload))
                .toList());
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        applyManual(tag.key(), changed, add);
                    }
                });
        return changed.size();
    }

    /**
     * Moves the merged customer's manual tags to the survivor, in the merge's transaction: the survivor
     * gains each tag it did not carry ({@code tag.added}, keeping when it was first added), and the
     * merged customer's rows go ({@code tag.removed}, as their automatic tags and segments are left on
     * the next round). The bitmaps follow after the commit. Automatic tags are left to their rules.
     */
    void followMerge(long survivorId, long mergedId) {
        List<Long> gained = jdbc.queryForList("""
                insert into customer_tag (tag_id, customer_id, added_at)
                select ct.tag_id, ?, ct.added_at from customer_tag ct join tag t on t.id = ct.tag_id
                where ct.customer_id = ? and t.rule_json is null
                on conflict do nothing returning tag_id""", Long.class, survivorId, mergedId);
        List<Long> dropped = jdbc.queryForList("""
                delete from customer_tag ct using tag t
                where t.id = ct.tag_id and ct.customer_id = ? and t.rule_json is null
                returning ct.tag_id""", Long.class, mergedId);
        if (dropped.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<EventFeed.NewEvent> events = new ArrayList<>();
        dropped.forEach(tagId -> events.add(new EventFeed.NewEvent(TOPIC, "tag.removed", mergedId, now, payload(Kind.TAG, tagId))));
        gained.forEach(tagId -> events.add(new EventFeed.NewEvent(TOPIC, "tag.added", survivorId, now, payload(Kind.TAG, tagId))));
        feed.appendAll(events);
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        // The merged customer's bits go first: should the index already answer for the
                        // survivor under the merged id, the survivor's bits are set again after.
                        dropped.forEach(tagId -> applyManual(Kind.TAG.table + "#" + tagId, List.of(mergedId), false));
                        gained.forEach(tagId -> applyManual(Kind.TAG.table + "#" + tagId, List.of(survivorId), true));
                    }
                });
    }

    private void applyManual(String key, List<Long> customerIds, boolean add) {
        RuleEngine engine = engines.getIfAvailable();
        if (engine == null || !loaded) {
            return; // the load at start reads them from the table
        }
        lock.lock();
        try {
            Map<String, RoaringBitmap> next = new HashMap<>(members);
            RoaringBitmap bits = next.getOrDefault(key, new RoaringBitmap()).clone();
            for (long id : customerIds) {
                int ordinal = engine.ordinalOf(id);
                if (ordinal < 0) {
                    if (add) {
                        unplaced.add(Map.entry(key, id));
                    } else {
                        unplaced.remove(Map.entry(key, id));
                    }
                } else if (add) {
                    bits.add(ordinal);
                } else {
                    bits.remove(ordinal);
                }
            }
            next.put(key, bits);
            members = Map.copyOf(next);
        } finally {
            lock.unlock();
        }
        signal(); // rules naming this tag may change
    }
}
