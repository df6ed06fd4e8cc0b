package app.regulars.insights;

import app.regulars.access.Callers;
import app.regulars.customers.CustomerSummary;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.insights.Definitions.Definition;
import app.regulars.insights.Definitions.Kind;
import app.regulars.insights.rule.Vocabulary;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.TextEncoding;
import com.fasterxml.jackson.annotation.JsonValue;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tags on customers. Manual tags are added and removed by staff (console, API, a CSV of phone or card
 * and tag); automatic tags follow their rule like segments do. Every change is a feed event
 * ({@code tag.added}, {@code tag.removed}).
 */
@Service
public class Tags {

    /** A tag as a customer carries it. */
    public record OnCustomer(long tagId, String name, boolean automatic, Instant since) {}

    /** What a CSV upload did: rows read, customers newly tagged, rows that were refused and why. */
    public record UploadReport(int rows, int tagged, int alreadyTagged, List<Refused> refused) {}

    /**
     * A row (by its line number) or a tag of an upload that was refused, and why (with its code, for the
     * console); the API shows it as one line, "row 3: …" or "tag "x": …".
     */
    public record Refused(Long row, String tag, FieldError reason) {

        @JsonValue
        public String text() {
            return (row != null ? "row " + row : "tag \"" + tag + "\"") + ": " + reason.reason();
        }
    }

    private static final int MAX_UPLOAD_ROWS = 100_000;
    /** Room for the rows above at their longest sensible (a phone, a tag name, a comma). */
    private static final int MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

    private final Definitions definitions;
    private final RuleDefinitions rules;
    private final SegmentMembership membership;
    private final Customers customers;
    private final MemberLists memberLists;
    private final JdbcClient db;
    private final TransactionTemplate tx;

    Tags(Definitions definitions, RuleDefinitions rules, SegmentMembership membership, Customers customers,
         MemberLists memberLists, JdbcClient db, TransactionTemplate tx) {
        this.definitions = definitions;
        this.rules = rules;
        this.membership = membership;
        this.customers = customers;
        this.memberLists = memberLists;
        this.db = db;
        this.tx = tx;
    }

    public List<Tag> list() {
        Vocabulary words = rules.vocabulary();
        return definitions.all(Kind.TAG).stream().map(d -> tag(d, words)).toList();
    }

    public Optional<Tag> find(long id) {
        return definitions.find(Kind.TAG, id).map(d -> tag(d, rules.vocabulary()));
    }

    public Optional<Tag> findByName(String name) {
        return definitions.findByName(Kind.TAG, name).map(d -> tag(d, rules.vocabulary()));
    }

    /** A manual tag when {@code source} is null, else an automatic one driven by the rule. */
    public Tag create(String name, String description, RuleSource source) {
        Callers.requireAllStores("changing tags and segments");
        return tag(rules.create(Kind.TAG, name, description, source, null), rules.vocabulary());
    }

    public Tag update(long id, String name, String description, RuleSource source) {
        Callers.requireAllStores("changing tags and segments");
        return tag(rules.update(Kind.TAG, id, name, description, source), rules.vocabulary());
    }

    public void delete(long id) {
        Callers.requireAllStores("changing tags and segments");
        rules.delete(Kind.TAG, id);
    }

    /** The tags a customer carries, by name. */
    public List<OnCustomer> of(long customerId) {
        return db.sql("select t.id, t.name, t.rule_json is not null as automatic, ct.added_at from customer_tag ct"
                        + " join tag t on t.id = ct.tag_id where ct.customer_id = ? order by t.name")
                .param(customerId)
                .query((rs, i) -> new OnCustomer(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    /**
     * Puts a manual tag on a customer, creating the tag when it does not exist yet. Idempotent.
     *
     * @return whether the customer did not carry it before
     */
    public boolean add(long customerId, String tagName) {
        CustomerSummary customer = customer(customerId);
        return tx.execute(s -> membership.changeManualTag(manualTag(tagName, true), List.of(customer.id()), true)) > 0;
    }

    /** Takes a manual tag off a customer. Idempotent. */
    public boolean remove(long customerId, String tagName) {
        CustomerSummary customer = customer(customerId);
        Definition tag = manualTag(tagName, false);
        return tx.execute(s -> membership.changeManualTag(tag, List.of(customer.id()), false)) > 0;
    }

    /** A page of the members the caller may see (a store-scoped caller: its stores' customers). */
    public Segments.MemberPage members(long id, int page, int size) {
        return members(id, null, page, size);
    }

    /** The same, only of the customers of {@code store} (home or registration store); null: all. */
    public Segments.MemberPage members(long id, Long store, int page, int size) {
        Definition d = definitions.find(Kind.TAG, id).orElseThrow(() -> ApiProblem.notFound("tag " + id));
        return memberLists.page(MemberLists.Of.TAG, d.id(), store, page, size);
    }

    /** How many members of each tag the caller may see (a store-scoped caller: of its stores), by id; absent: none. */
    public Map<Long, Long> visibleMembers() {
        return memberLists.counts(MemberLists.Of.TAG);
    }

    /** Every member's customer id that the caller may see, for exports. */
    public List<Long> memberIds(long id) {
        Definition d = definitions.find(Kind.TAG, id).orElseThrow(() -> ApiProblem.notFound("tag " + id));
        return memberLists.ids(MemberLists.Of.TAG, d.id());
    }

    /**
     * Tags customers from a CSV file of (phone or card, tag), in UTF-8 or in GBK as Excel in China saves
     * CSV: a header names the columns (手机号/phone, 会员卡/card, 标签/tag); without one, the first column is
     * the phone or card and the second the tag. Unknown customers and automatic tags are refused by row;
     * new tag names create manual tags. All accepted rows are applied in one transaction.
     */
    public UploadReport upload(byte[] file) {
        Callers.requireAllStores("changing tags and segments");
        if (file.length > MAX_UPLOAD_BYTES) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("file", "uploadTooLarge", MAX_UPLOAD_ROWS,
                    "at most " + MAX_UPLOAD_ROWS + " rows per upload"));
        }
        String text = TextEncoding.decode(file).filter(t -> t.indexOf('\0') < 0).orElseThrow(() -> ApiProblem.of(
                HttpStatus.BAD_REQUEST, Refusals.CODES.of("file", "notCsv", "not a readable CSV file")));
        return upload(new java.io.StringReader(text));
    }

    private UploadReport upload(Reader csv) {
        Map<String, Set<Long>> byTag = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        int rows = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE).ofCsvRecord(csv)) {
            Columns columns = null;
            for (CsvRecord record : reader) {
                List<String> fields = record.getFields().stream().map(f -> f.replace("\uFEFF", "").strip()).toList();
                if (columns == null) {
                    columns = Columns.of(fields);
                    if (columns.header()) {
                        continue;
                    }
                }
                rows++;
                if (rows > MAX_UPLOAD_ROWS) {
                    throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("file", "uploadTooLarge", MAX_UPLOAD_ROWS,
                            "at most " + MAX_UPLOAD_ROWS + " rows per upload"));
                }
                long line = record.getStartingLineNumber();
                String who = columns.identity() < fields.size() ? fields.get(columns.identity()) : "";
                String tagName = columns.tag() < fields.size() ? fields.get(columns.tag()) : "";
                if (who.isEmpty() || tagName.isEmpty()) {
                    refused.add(new Refused(line, null,
                            Refusals.CODES.of("file", "uploadIncomplete", "needs a phone or card and a tag")));
                    continue;
                }
                Identity identity = columns.card() || !looksLikePhone(who) ? Identity.ofCard(who) : Identity.ofPhone(who);
                Optional<Long> id;
                try {
                    id = customers.find(identity);
                } catch (ApiProblem e) {
                    id = Optional.empty();
                }
                if (id.isEmpty()) {
                    refused.add(new Refused(line, null, identity.phone() != null
                            ? Refusals.CODES.of("file", "uploadNoSuchPhone", "no customer with this phone")
                            : Refusals.CODES.of("file", "uploadNoSuchCard", "no customer with this card")));
                    continue;
                }
                byTag.computeIfAbsent(tagName, k -> new LinkedHashSet<>()).add(id.get());
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("file", "notCsv", "not a readable CSV file"));
        }
        int tagged = 0;
        int accepted = 0;
        Map<Definition, Set<Long>> plan = new LinkedHashMap<>();
        for (Map.Entry<String, Set<Long>> e : byTag.entrySet()) {
            try {
                plan.put(manualTag(e.getKey(), true), e.getValue());
                accepted += e.getValue().size();
            } catch (ApiProblem p) {
                refused.add(new Refused(null, e.getKey(), p.errors().isEmpty() ? new FieldError("tag", p.getMessage())
                        : p.errors().getFirst()));
            }
        }
        Integer changed = tx.execute(s -> plan.entrySet().stream()
                .mapToInt(e -> membership.changeManualTag(e.getKey(), e.getValue(), true)).sum());
        tagged = changed == null ? 0 : changed;
        return new UploadReport(rows, tagged, accepted - tagged, List.copyOf(refused));
    }

    private record Columns(boolean header, int identity, boolean card, int tag) {

        static Columns of(List<String> first) {
            int identity = -1;
            int tag = -1;
            boolean card = false;
            for (int i = 0; i < first.size(); i++) {
                String h = first.get(i).toLowerCase(Locale.ROOT);
                if (identity < 0 && (h.equals("phone") || h.equals("mobile") || h.contains("手机"))) {
                    identity = i;
                } else if (identity < 0 && (h.equals("card") || h.equals("card_no") || h.contains("卡"))) {
                    identity = i;
                    card = true;
                } else if (tag < 0 && (h.equals("tag") || h.contains("标签"))) {
                    tag = i;
                }
            }
            if (identity >= 0 && tag >= 0) {
                return new Columns(true, identity, card, tag);
            }
            return new Columns(false, 0, false, 1);
        }
    }

    private static boolean looksLikePhone(String s) {
        String digits = s.replaceAll("[\\s+()-]", "");
        return digits.matches("(86)?1\\d{10}");
    }

    private Definition manualTag(String name, boolean createIfMissing) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("tag", "tagBlank", "must not be blank"));
        }
        Optional<Definition> found = definitions.findByName(Kind.TAG, name);
        if (found.isEmpty()) {
            if (!createIfMissing) {
                throw ApiProblem.notFound("tag \"" + name.strip() + "\"");
            }
            try {
                return rules.create(Kind.TAG, name, null, null, null);
            } catch (ApiProblem conflict) {
                found = definitions.findByName(Kind.TAG, name); // created by a concurrent request
                if (found.isEmpty()) {
                    throw conflict;
                }
            }
        }
        if (found.get().hasRule()) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("tag", "automaticTag", found.get().name(),
                    "\"" + found.get().name() + "\" is an automatic tag: its rule decides who carries it"));
        }
        return found.get();
    }

    private CustomerSummary customer(long customerId) {
        return customers.summary(customerId).orElseThrow(() -> ApiProblem.notFound("customer " + customerId));
    }

    private Tag tag(Definition d, Vocabulary words) {
        int members = membership.loaded() ? membership.members(d).getCardinality()
                : db.sql("select count(*) from customer_tag where tag_id = ?").param(d.id()).query(Integer.class).single();
        return new Tag(d.id(), d.name(), d.description(), d.ruleText(), d.ruleJson(), rules.problemNow(d, words), members,
                d.updatedAt());
    }
}
