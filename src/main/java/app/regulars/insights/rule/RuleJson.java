package app.regulars.insights.rule;

import app.regulars.insights.rule.RuleMessage.Code;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The stored form of rules: {@code {"version": 1, "rule": {...}}}, one object per node with a
 * {@code "type"} naming it (docs/rule-language.md has the schema). Numbers are exact decimals. Reading
 * checks the shape and names the JSON path of what is wrong; names and types are the type checker's.
 */
public final class RuleJson {

    public static final int VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Exact decimals both ways: 5000.50 stays 5000.50 (the text form prints what was written).
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private RuleJson() {}

    /** The versioned document for a rule. */
    public static ObjectNode write(Rule rule) {
        ObjectNode doc = NODES.objectNode();
        doc.put("version", VERSION);
        doc.set("rule", rule(rule));
        return doc;
    }

    public static String writeString(Rule rule) {
        try {
            return MAPPER.writeValueAsString(write(rule));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a versioned document; refuses other versions and malformed nodes naming their path. */
    public static Rule read(String json) {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw problem("", e.getLocation() == null ? RuleMessage.of(Code.MALFORMED_JSON)
                    : RuleMessage.of(Code.MALFORMED_JSON_AT, String.valueOf(e.getLocation().getLineNr()),
                            String.valueOf(e.getLocation().getColumnNr())));
        }
        return read(doc);
    }

    public static Rule read(JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw problem("", Code.NOT_A_DOCUMENT);
        }
        JsonNode version = doc.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw problem("version", Code.VERSION_MISSING, String.valueOf(VERSION));
        }
        if (version.asInt() != VERSION) {
            throw problem("version", Code.VERSION_UNSUPPORTED, version.asText(), String.valueOf(VERSION));
        }
        allowOnly(doc, "", Set.of("version", "rule"));
        return readRule(require(doc, "", "rule"), "rule");
    }

    /** The JSON text of the node tree, for storing. */
    public static String toString(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- writing

    private static ObjectNode rule(Rule rule) {
        ObjectNode n = NODES.objectNode();
        switch (rule) {
            case Rule.And and -> {
                n.put("type", "and");
                ArrayNode parts = n.putArray("parts");
                and.parts().forEach(p -> parts.add(rule(p)));
            }
            case Rule.Or or -> {
                n.put("type", "or");
                ArrayNode parts = n.putArray("parts");
                or.parts().forEach(p -> parts.add(rule(p)));
            }
            case Rule.Not not -> {
                n.put("type", "not");
                n.set("part", rule(not.part()));
            }
            case Rule.Compare c -> {
                n.put("type", "compare");
                n.set("left", value(c.left()));
                n.put("operator", c.operator().symbol());
                n.set("right", value(c.right()));
            }
            case Rule.In in -> {
                n.put("type", "in");
                n.set("left", value(in.left()));
                ArrayNode values = n.putArray("values");
                in.values().forEach(v -> values.add(value(v)));
            }
            case Rule.HasTag tag -> {
                n.put("type", "tag");
                n.put("name", tag.tag());
            }
            case Rule.InSegment segment -> {
                n.put("type", "segment");
                n.put("name", segment.segment());
            }
            case Rule.Within within -> {
                n.put("type", "within");
                n.put("field", within.field().name());
                n.put("days", within.days());
            }
        }
        return n;
    }

    private static ObjectNode value(Value value) {
        ObjectNode n = NODES.objectNode();
        switch (value) {
            case Value.NumberLiteral l -> n.put("type", "number").set("value", DecimalNode.valueOf(l.value()));
            case Value.TextLiteral l -> n.put("type", "text").put("value", l.value());
            case Value.DateLiteral l -> n.put("type", "date").put("value", l.value().toString());
            case Value.BooleanLiteral l -> n.put("type", "boolean").put("value", l.value());
            case Value.Field f -> n.put("type", "field").put("name", f.name());
            case Value.Arithmetic a -> {
                n.put("type", "arithmetic");
                n.set("left", value(a.left()));
                n.put("operator", String.valueOf(a.operator()));
                n.set("right", value(a.right()));
            }
            case Value.Aggregate a -> {
                n.put("type", "aggregate");
                n.put("function", a.function());
                if (a.argument() != null) {
                    n.put("argument", a.argument());
                }
                if (a.window() != null && !(a.window() instanceof Window.AllTime)) {
                    n.set("window", window(a.window()));
                }
                ArrayNode filters = n.putArray("filters");
                for (Value.Filter f : a.filters()) {
                    ObjectNode filter = filters.addObject();
                    filter.put("dimension", f.dimension());
                    filter.put("negated", f.negated());
                    ArrayNode values = filter.putArray("values");
                    f.values().forEach(values::add);
                }
            }
        }
        return n;
    }

    private static ObjectNode window(Window window) {
        ObjectNode n = NODES.objectNode();
        switch (window) {
            case Window.AllTime all -> n.put("type", "all_time");
            case Window.Rolling r -> n.put("type", "rolling").put("days", r.days());
            case Window.Calendar c -> n.put("type", "calendar").put("period", c.period());
            case Window.Between b -> n.put("type", "between").put("from", b.from().toString()).put("to", b.to().toString());
            case Window.AroundHoliday h -> n.put("type", "around").put("holiday", h.holiday()).put("days", h.days());
        }
        return n;
    }

    // ---- reading

    private static Rule readRule(JsonNode n, String path) {
        String type = type(n, path, Code.CONDITION_TYPES);
        return switch (type) {
            case "and", "or" -> {
                allowOnly(n, path, Set.of("type", "parts"));
                JsonNode parts = require(n, path, "parts");
                if (!parts.isArray() || parts.isEmpty()) {
                    throw problem(path + ".parts", Code.EMPTY_PARTS);
                }
                List<Rule> rules = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    rules.add(readRule(parts.get(i), path + ".parts[" + i + "]"));
                }
                yield type.equals("and") ? new Rule.And(List.copyOf(rules), Span.NONE)
                        : new Rule.Or(List.copyOf(rules), Span.NONE);
            }
            case "not" -> {
                allowOnly(n, path, Set.of("type", "part"));
                yield new Rule.Not(readRule(require(n, path, "part"), path + ".part"), Span.NONE);
            }
            case "compare" -> {
                allowOnly(n, path, Set.of("type", "left", "operator", "right"));
                Value left = readValue(require(n, path, "left"), path + ".left");
                String symbol = text(n, path, "operator");
                Rule.Operator op = null;
                for (Rule.Operator o : Rule.Operator.values()) {
                    if (o.symbol().equals(symbol)) {
                        op = o;
                    }
                }
                if (op == null) {
                    throw problem(path + ".operator", Code.EXPECTED_ONE_OF, RuleMessage.names(
                            Arrays.stream(Rule.Operator.values()).map(Rule.Operator::symbol).toList()), symbol);
                }
                yield new Rule.Compare(left, op, readValue(require(n, path, "right"), path + ".right"), Span.NONE);
            }
            case "in" -> {
                allowOnly(n, path, Set.of("type", "left", "values"));
                Value left = readValue(require(n, path, "left"), path + ".left");
                JsonNode values = require(n, path, "values");
                if (!values.isArray() || values.isEmpty()) {
                    throw problem(path + ".values", Code.EXPECTED_VALUES);
                }
                List<Value.Literal> literals = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    String p = path + ".values[" + i + "]";
                    if (!(readValue(values.get(i), p) instanceof Value.Literal l)) {
                        throw problem(p, Code.EXPECTED_LITERAL);
                    }
                    literals.add(l);
                }
                yield new Rule.In(left, List.copyOf(literals), Span.NONE);
            }
            case "tag" -> {
                allowOnly(n, path, Set.of("type", "name"));
                yield new Rule.HasTag(text(n, path, "name"), Span.NONE);
            }
            case "segment" -> {
                allowOnly(n, path, Set.of("type", "name"));
                yield new Rule.InSegment(text(n, path, "name"), Span.NONE);
            }
            case "within" -> {
                allowOnly(n, path, Set.of("type", "field", "days"));
                yield new Rule.Within(new Value.Field(identifier(n, path, "field"), Span.NONE),
                        days(n, path, "days", 0), Span.NONE);
            }
            default -> throw problem(path + ".type", Code.UNKNOWN_CONDITION, type, RuleMessage.of(Code.CONDITION_TYPES));
        };
    }

    private static Value readValue(JsonNode n, String path) {
        String type = type(n, path, Code.VALUE_TYPES);
        return switch (type) {
            case "number" -> {
                allowOnly(n, path, Set.of("type", "value"));
                JsonNode v = require(n, path, "value");
                BigDecimal number;
                if (v.isNumber()) {
                    number = v.decimalValue();
                } else if (v.isTextual()) {
                    try {
                        number = new BigDecimal(v.asText());
                    } catch (NumberFormatException e) {
                        throw problem(path + ".value", Code.EXPECTED_NUMBER_FOUND, v.asText());
                    }
                } else {
                    throw problem(path + ".value", Code.EXPECTED_NUMBER);
                }
                // 1E+3 reads as 1000: the text form writes plain digits and must read back the same number.
                yield new Value.NumberLiteral(number.scale() < 0 ? number.setScale(0) : number, Span.NONE);
            }
            case "text" -> {
                allowOnly(n, path, Set.of("type", "value"));
                yield new Value.TextLiteral(text(n, path, "value"), Span.NONE);
            }
            case "date" -> {
                allowOnly(n, path, Set.of("type", "value"));
                yield new Value.DateLiteral(date(n, path, "value"), Span.NONE);
            }
            case "boolean" -> {
                allowOnly(n, path, Set.of("type", "value"));
                JsonNode v = require(n, path, "value");
                if (!v.isBoolean()) {
                    throw problem(path + ".value", Code.EXPECTED_BOOLEAN);
                }
                yield new Value.BooleanLiteral(v.asBoolean(), Span.NONE);
            }
            case "field" -> {
                allowOnly(n, path, Set.of("type", "name"));
                yield new Value.Field(identifier(n, path, "name"), Span.NONE);
            }
            case "arithmetic" -> {
                allowOnly(n, path, Set.of("type", "left", "operator", "right"));
                Value left = readValue(require(n, path, "left"), path + ".left");
                String op = text(n, path, "operator");
                if (op.length() != 1 || "+-*/".indexOf(op.charAt(0)) < 0) {
                    throw problem(path + ".operator", Code.EXPECTED_ARITHMETIC, op);
                }
                yield new Value.Arithmetic(left, op.charAt(0), readValue(require(n, path, "right"), path + ".right"),
                        Span.NONE);
            }
            case "aggregate" -> {
                allowOnly(n, path, Set.of("type", "function", "argument", "window", "filters"));
                String function = identifier(n, path, "function");
                JsonNode arg = n.get("argument");
                String argument = null;
                if (arg != null && !arg.isNull()) {
                    if (!arg.isTextual()) {
                        throw problem(path + ".argument", Code.EXPECTED_TEXT);
                    }
                    argument = arg.asText();
                }
                JsonNode w = n.get("window");
                Window window = w == null || w.isNull() ? new Window.AllTime(Span.NONE) : readWindow(w, path + ".window");
                List<Value.Filter> filters = new ArrayList<>();
                JsonNode fs = n.get("filters");
                if (fs != null && !fs.isNull()) {
                    if (!fs.isArray()) {
                        throw problem(path + ".filters", Code.EXPECTED_LIST);
                    }
                    for (int i = 0; i < fs.size(); i++) {
                        filters.add(readFilter(fs.get(i), path + ".filters[" + i + "]"));
                    }
                }
                yield new Value.Aggregate(function, argument, window, List.copyOf(filters), Span.NONE);
            }
            default -> throw problem(path + ".type", Code.UNKNOWN_VALUE, type, RuleMessage.of(Code.VALUE_TYPES));
        };
    }

    private static Value.Filter readFilter(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw problem(path, Code.NOT_A_FILTER);
        }
        allowOnly(n, path, Set.of("dimension", "negated", "values"));
        String dimension = identifier(n, path, "dimension");
        JsonNode neg = n.get("negated");
        if (neg != null && !neg.isNull() && !neg.isBoolean()) {
            throw problem(path + ".negated", Code.EXPECTED_BOOLEAN);
        }
        JsonNode values = require(n, path, "values");
        if (!values.isArray() || values.isEmpty()) {
            throw problem(path + ".values", Code.EXPECTED_VALUES);
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            if (!(v.isTextual() || v.isBoolean())) {
                throw problem(path + ".values[" + i + "]", Code.EXPECTED_FILTER_VALUE);
            }
            texts.add(v.asText());
        }
        return new Value.Filter(dimension, neg != null && neg.asBoolean(), List.copyOf(texts), Span.NONE);
    }

    private static Window readWindow(JsonNode n, String path) {
        String type = type(n, path, Code.WINDOW_TYPES);
        return switch (type) {
            case "all_time" -> {
                allowOnly(n, path, Set.of("type"));
                yield new Window.AllTime(Span.NONE);
            }
            case "rolling" -> {
                allowOnly(n, path, Set.of("type", "days"));
                yield new Window.Rolling(days(n, path, "days", 1), Span.NONE);
            }
            case "calendar" -> {
                allowOnly(n, path, Set.of("type", "period"));
                String period = text(n, path, "period");
                if (!Catalogue.isCalendarPeriod(period)) {
                    throw problem(path + ".period", Code.EXPECTED_ONE_OF, RuleMessage.names(Catalogue.CALENDAR_PERIODS),
                            period);
                }
                yield new Window.Calendar(period, Span.NONE);
            }
            case "between" -> {
                allowOnly(n, path, Set.of("type", "from", "to"));
                yield new Window.Between(date(n, path, "from"), date(n, path, "to"), Span.NONE);
            }
            case "around" -> {
                allowOnly(n, path, Set.of("type", "holiday", "days"));
                yield new Window.AroundHoliday(text(n, path, "holiday"), days(n, path, "days", 0), Span.NONE);
            }
            default -> throw problem(path + ".type", Code.UNKNOWN_WINDOW, type, RuleMessage.of(Code.WINDOW_TYPES));
        };
    }

    /** @param expected the types this node can have, as {@link Code#CONDITION_TYPES} lists them */
    private static String type(JsonNode n, String path, Code expected) {
        if (n == null || !n.isObject()) {
            throw problem(path, Code.NOT_A_NODE, RuleMessage.of(expected));
        }
        JsonNode t = n.get("type");
        if (t == null || !t.isTextual()) {
            throw problem(path + ".type", Code.TYPE_MISSING, RuleMessage.of(expected));
        }
        return t.asText();
    }

    private static JsonNode require(JsonNode n, String path, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw problem(join(path, name), Code.MISSING);
        }
        return v;
    }

    private static String text(JsonNode n, String path, String name) {
        JsonNode v = require(n, path, name);
        if (!v.isTextual()) {
            throw problem(join(path, name), Code.EXPECTED_TEXT);
        }
        return v.asText();
    }

    /** Names that appear bare in the text form must be identifiers, or the text could not be read back. */
    private static String identifier(JsonNode n, String path, String name) {
        String v = text(n, path, name);
        if (!RuleText.isIdentifier(v)) {
            throw problem(join(path, name), Code.EXPECTED_NAME, v);
        }
        return v;
    }

    private static int days(JsonNode n, String path, String name, int min) {
        JsonNode v = require(n, path, name);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > Lexer.MAX_DAYS) {
            throw problem(join(path, name), Code.EXPECTED_DAYS, String.valueOf(min), String.valueOf(Lexer.MAX_DAYS));
        }
        return v.asInt();
    }

    private static LocalDate date(JsonNode n, String path, String name) {
        String v = text(n, path, name);
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw problem(join(path, name), Code.EXPECTED_DATE, v);
        }
    }

    private static void allowOnly(JsonNode n, String path, Set<String> names) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw problem(join(path, name), Code.UNKNOWN_PROPERTY);
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static RuleError problem(String path, Code code, Object... args) {
        return problem(path, RuleMessage.of(code, args));
    }

    private static RuleError problem(String path, RuleMessage message) {
        return new RuleError(List.of(new RuleError.Problem(Span.NONE, path, message)));
    }
}
