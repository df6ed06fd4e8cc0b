package app.regulars.insights;

import app.regulars.access.Callers;
import app.regulars.customers.CustomerSummary;
import app.regulars.customers.CustomerVisibility;
import app.regulars.customers.Customers;
import app.regulars.insights.Definitions.Definition;
import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.Vocabulary;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.RegularsProperties;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Saved segments: create, change and delete them, preview a rule before saving it, list members.
 * Rules are checked when saved (names, types, cycles through other segments); a rule that later stops
 * making sense (its custom field was deleted) is reported on the segment, never silently false.
 */
@Service
public class Segments {

    /** One day's size of a segment, for the trend chart. */
    public record DailySize(LocalDate day, int members) {}

    /** A page of members, by customer id ascending. */
    public record MemberPage(List<Long> customerIds, long total, int page, int size) {

        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }
    }

    private static final int SAMPLE = 5;
    private static final int SAMPLE_TRIES = 200;

    private final Definitions definitions;
    private final RuleDefinitions rules;
    private final SegmentMembership membership;
    private final ObjectProvider<RuleEngine> engines;
    private final Customers customers;
    private final CustomerVisibility visibility;
    private final MemberLists memberLists;
    private final JdbcClient db;
    /** The chain's clock: a segment's sizes are kept per day of the chain's calendar. */
    private final Clock clock;

    Segments(Definitions definitions, RuleDefinitions rules, SegmentMembership membership,
             ObjectProvider<RuleEngine> engines, Customers customers, CustomerVisibility visibility,
             MemberLists memberLists, JdbcClient db, Clock clock, RegularsProperties properties) {
        this.clock = clock.withZone(properties.timezone());
        this.definitions = definitions;
        this.rules = rules;
        this.membership = membership;
        this.engines = engines;
        this.customers = customers;
        this.visibility = visibility;
        this.memberLists = memberLists;
        this.db = db;
    }

    public List<Segment> list() {
        Vocabulary words = rules.vocabulary();
        return definitions.all(Kind.SEGMENT).stream().map(d -> segment(d, words)).toList();
    }

    public Optional<Segment> find(long id) {
        return definitions.find(Kind.SEGMENT, id).map(d -> segment(d, rules.vocabulary()));
    }

    public Optional<Segment> findByName(String name) {
        return definitions.findByName(Kind.SEGMENT, name).map(d -> segment(d, rules.vocabulary()));
    }

    /**
     * Saves a new segment; its members are computed in the background (no feed events for this first
     * computation).
     *
     * @throws app.regulars.insights.rule.RuleError when the rule does not parse, does not type-check or
     *                                              would make the segment include itself
     */
    public Segment create(String name, String description, RuleSource source) {
        Callers.requireAllStores("changing tags and segments");
        return segment(rules.create(Kind.SEGMENT, name, description, source, null), rules.vocabulary());
    }

    public Segment update(long id, String name, String description, RuleSource source) {
        Callers.requireAllStores("changing tags and segments");
        return segment(rules.update(Kind.SEGMENT, id, name, description, source), rules.vocabulary());
    }

    /** Deletes a segment no other rule names; its members leave without events. */
    public void delete(long id) {
        Callers.requireAllStores("changing tags and segments");
        rules.delete(Kind.SEGMENT, id);
    }

    /** What the rule matches now, with a masked sample; nothing is saved. */
    public Preview preview(RuleSource source) {
        RuleDefinitions.Compiled compiled = rules.compile(source);
        RuleEngine engine = engine();
        Matches matches = engine.evaluate(compiled.rule(), membership);
        int count = matches.count();
        int population = matches.population();
        List<Preview.SampleCustomer> sample = sample(engine, matches.ordinals());
        String warning = population > 0 && count == population ? "everyone" : count == 0 ? "no one" : null;
        return new Preview(count, population, population == 0 ? 0 : (double) count / population, sample, warning,
                compiled.text(), compiled.json());
    }

    /**
     * Up to {@link #SAMPLE} matches spread over all of them rather than the first ordinals (the oldest
     * customers); for a store-scoped caller, among the first {@link #SAMPLE_TRIES} so spread, those of
     * its stores only, as everywhere it lists customers.
     */
    private List<Preview.SampleCustomer> sample(RuleEngine engine, RoaringBitmap ordinals) {
        int count = ordinals.getCardinality();
        boolean scoped = visibility.listScope() != null;
        int tries = Math.min(scoped ? SAMPLE_TRIES : SAMPLE, count);
        List<Long> spread = new ArrayList<>(tries);
        for (int i = 0; i < tries; i++) {
            spread.add(engine.customerIdOf(ordinals.select((int) ((long) i * count / tries))));
        }
        return visibility.filter(customers.summaries(spread)).stream().limit(SAMPLE).map(Segments::sampleOf).toList();
    }

    /** A page of the members the caller may see (a store-scoped caller: its stores' customers). */
    public MemberPage members(long id, int page, int size) {
        return members(id, null, page, size);
    }

    /** The same, only of the customers of {@code store} (home or registration store); null: all. */
    public MemberPage members(long id, Long store, int page, int size) {
        Definition d = definitions.find(Kind.SEGMENT, id).orElseThrow(() -> ApiProblem.notFound("segment " + id));
        return memberLists.page(MemberLists.Of.SEGMENT, d.id(), store, page, size);
    }

    /** How many members of each segment the caller may see (a store-scoped caller: of its stores), by id; absent: none. */
    public Map<Long, Long> visibleMembers() {
        return memberLists.counts(MemberLists.Of.SEGMENT);
    }

    /** Every member's customer id that the caller may see, for exports. */
    public List<Long> memberIds(long id) {
        Definition d = definitions.find(Kind.SEGMENT, id).orElseThrow(() -> ApiProblem.notFound("segment " + id));
        return memberLists.ids(MemberLists.Of.SEGMENT, d.id());
    }

    /**
     * A segment as a customer is in it.
     *
     * @param labelKey the message key of a built-in's translated name, null for the chain's own (see
     *                 {@link Segment#labelKey()})
     */
    public record OnCustomer(long id, String name, String labelKey) {}

    /** The segments a customer is in, by name. */
    public List<OnCustomer> segmentsOf(long customerId) {
        return db.sql("select s.id, s.name, s.builtin from segment_member m join segment s on s.id = m.segment_id"
                        + " where m.customer_id = ? order by s.name").param(customerId)
                .query((rs, i) -> new OnCustomer(rs.getLong(1), rs.getString(2),
                        BuiltInSegments.labelKey(rs.getString(3), rs.getString(2))))
                .list();
    }

    /**
     * The segment's size on each of the last {@code days} days up to today, from the first day it was
     * recorded: one entry per day (see {@link #sizesOfAll}).
     */
    public List<DailySize> sizes(long id, int days) {
        return sizesOf(id, days).getOrDefault(id, List.of());
    }

    /**
     * Every segment's size on each of the last {@code days} days up to today, in one query (the
     * segment list shows them all). A size is written on the days it changes (and after a restart),
     * so a day without a row had the size of the day before: a segment that stayed at 612 for a month
     * has a month of 612s, not one point. A segment recorded since today has one day; one whose round
     * has not finished yet, none.
     */
    public Map<Long, List<DailySize>> sizesOfAll(int days) {
        return sizesOf(null, days);
    }

    private Map<Long, List<DailySize>> sizesOf(Long segment, int days) {
        LocalDate today = LocalDate.now(clock);
        LocalDate from = today.minusDays(days - 1L);
        Map<Long, List<DailySize>> changes = new HashMap<>();
        // The rows of the window, and the last one before it: the size the window's first day had.
        db.sql("""
                        select segment_id, day, members from segment_size s
                        where (cast(:segment as bigint) is null or segment_id = :segment)
                          and (day >= :from or day = (select max(day) from segment_size b
                                                     where b.segment_id = s.segment_id and b.day < :from))
                        order by segment_id, day""")
                .param("segment", segment).param("from", from)
                .query(rs -> {
                    changes.computeIfAbsent(rs.getLong("segment_id"), k -> new ArrayList<>()).add(dailySize(rs));
                });
        Map<Long, List<DailySize>> daily = new HashMap<>();
        changes.forEach((id, rows) -> daily.put(id, everyDay(rows, from, today)));
        return daily;
    }

    /** Each day from the first row (or {@code from}) to today, carrying the last size written. */
    static List<DailySize> everyDay(List<DailySize> rows, LocalDate from, LocalDate today) {
        List<DailySize> days = new ArrayList<>();
        LocalDate first = rows.getFirst().day().isBefore(from) ? from : rows.getFirst().day();
        LocalDate last = rows.getLast().day().isAfter(today) ? rows.getLast().day() : today;
        int next = 0;
        int members = rows.getFirst().members();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            while (next < rows.size() && !rows.get(next).day().isAfter(day)) {
                members = rows.get(next++).members();
            }
            days.add(new DailySize(day, members));
        }
        return days;
    }

    private static DailySize dailySize(ResultSet rs) throws SQLException {
        return new DailySize(rs.getObject("day", Date.class).toLocalDate(), rs.getInt("members"));
    }

    private RuleEngine engine() {
        RuleEngine engine = engines.getIfAvailable();
        if (engine == null) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "the insights engine is not running in this build",
                    List.of());
        }
        return engine;
    }

    private Segment segment(Definition d, Vocabulary words) {
        int members = membership.loaded() ? membership.members(d).getCardinality()
                : db.sql("select count(*) from segment_member where segment_id = ?").param(d.id()).query(Integer.class).single();
        return new Segment(d.id(), d.name(), d.description(), d.ruleText(), d.ruleJson(), d.builtin(),
                rules.problemNow(d, words),
                members, d.updatedAt());
    }

    /** A customer as member lists show them: masked name and phone. */
    public Optional<Preview.SampleCustomer> maskedCustomer(long customerId) {
        return customers.summary(customerId).map(Segments::sampleOf);
    }

    static Preview.SampleCustomer sampleOf(CustomerSummary c) {
        return new Preview.SampleCustomer(c.id(), maskName(c.displayName()), c.phoneMasked(), c.city());
    }

    /** 林晓雨 → 林**: enough to recognise a regular at the counter, not to identify a stranger. */
    static String maskName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        int first = name.codePointAt(0);
        int rest = name.codePointCount(0, name.length()) - 1;
        return new String(Character.toChars(first)) + "*".repeat(Math.max(rest, 1));
    }
}
