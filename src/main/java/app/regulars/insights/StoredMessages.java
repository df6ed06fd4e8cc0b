package app.regulars.insights;

import app.regulars.insights.rule.RuleMessage;
import app.regulars.insights.rule.RuleMessage.Code;
import app.regulars.insights.rule.RuleMessage.Names;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A rule message as a definition's {@code problem_message} holds it: {@code {"code": "rule.problem.noField",
 * "args": [...]}}, each argument a string, a nested message, or {@code {"names": [...], "quoted": true}}.
 * Codes are stored by their message key, the name the bundles know them by, so renaming a constant of
 * {@link Code} does not lose what was stored.
 */
final class StoredMessages {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Code> CODES = Arrays.stream(Code.values())
            .collect(Collectors.toUnmodifiableMap(Code::key, Function.identity()));

    private StoredMessages() {}

    static String write(RuleMessage message) {
        return node(message).toString();
    }

    /**
     * The message stored, or null when there is none or it cannot be read (a code since removed): the
     * English recorded beside it is said instead.
     */
    static RuleMessage read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return message(MAPPER.readTree(json));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static ObjectNode node(RuleMessage message) {
        ObjectNode node = NODES.objectNode();
        node.put("code", message.code().key());
        ArrayNode args = node.putArray("args");
        for (Object a : message.args()) {
            switch (a) {
                case RuleMessage m -> args.add(node(m));
                case Names n -> {
                    ObjectNode names = args.addObject();
                    ArrayNode list = names.putArray("names");
                    n.names().forEach(list::add);
                    names.put("quoted", n.quoted());
                }
                default -> args.add((String) a); // a message's arguments are strings, messages or names
            }
        }
        return node;
    }

    private static RuleMessage message(JsonNode node) {
        Code code = CODES.get(node.path("code").asText());
        if (code == null || !node.path("args").isArray()) {
            throw new IllegalArgumentException("not a stored rule message: " + node);
        }
        List<Object> args = new ArrayList<>();
        for (JsonNode a : node.path("args")) {
            args.add(argument(a));
        }
        return new RuleMessage(code, args);
    }

    private static Object argument(JsonNode a) {
        if (a.isTextual()) {
            return a.asText();
        }
        if (a.has("code")) {
            return message(a);
        }
        if (!a.path("names").isArray()) {
            throw new IllegalArgumentException("not a stored message argument: " + a);
        }
        List<String> names = new ArrayList<>();
        a.path("names").forEach(n -> names.add(n.asText()));
        return new Names(names, a.path("quoted").asBoolean());
    }
}
