package app.regulars.imports;

import app.regulars.platform.ApiProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which column holds which field, resolved once per file. */
final class Columns {

    private final List<String> headers;
    private final Map<String, Integer> byField;
    private final Map<String, Integer> custom;

    private Columns(List<String> headers, Map<String, Integer> byField, Map<String, Integer> custom) {
        this.headers = headers;
        this.byField = byField;
        this.custom = custom;
    }

    /**
     * Checks that every field is known to the type and used once, and that what the type needs is
     * there; {@code fields} is parallel to {@code headers}, null for an ignored column.
     */
    static Columns of(ImportType type, List<String> headers, List<String> fields, boolean hasDefaultStore) {
        Map<String, Integer> byField = new HashMap<>();
        Map<String, Integer> custom = new LinkedHashMap<>();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < headers.size() && i < fields.size(); i++) {
            String field = fields.get(i);
            if (field == null || field.isBlank()) {
                continue;
            }
            if (!type.accepts(field)) {
                errors.add(Refusals.CODES.of("mapping." + headers.get(i), "noSuchField",
                        "no such field for " + type.code() + ": " + field));
            } else if (byField.putIfAbsent(field, i) != null) {
                errors.add(Refusals.CODES.of("mapping." + headers.get(i), "alreadyMapped", headers.get(byField.get(field)),
                        "field " + field + " is already given to column " + headers.get(byField.get(field))));
            } else if (field.startsWith(ImportType.CUSTOM_PREFIX)) {
                custom.put(field.substring(ImportType.CUSTOM_PREFIX.length()), i);
            }
        }
        errors.addAll(missing(type, byField, hasDefaultStore));
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return new Columns(headers, byField, custom);
    }

    /** A field the type needs that no column gives: its code is imports.mapping.refused.missing.&lt;what&gt;. */
    private static List<ApiProblem.FieldError> missing(ImportType type, Map<String, Integer> byField, boolean hasDefaultStore) {
        List<ApiProblem.FieldError> out = new ArrayList<>();
        switch (type) {
            case CUSTOMERS -> {
                if (!byField.containsKey("phone") && !byField.containsKey("card_no") && !byField.containsKey("external_id")
                        && !byField.containsKey("wechat_openid")) {
                    out.add(Refusals.CODES.of("mapping", "missing.identity",
                            "map a column to phone, card_no, external_id or wechat_openid: customers are found by one of them"));
                }
            }
            case PRODUCTS -> {
                if (!byField.containsKey("sku")) {
                    out.add(Refusals.CODES.of("mapping", "missing.sku", "map a column to sku"));
                }
            }
            case RECEIPTS -> {
                for (String f : List.of("receipt_no", "purchased_at", "sku", "quantity")) {
                    if (!byField.containsKey(f)) {
                        out.add(Refusals.CODES.of("mapping", "missing." + f, "map a column to " + f));
                    }
                }
                if (!byField.containsKey("unit_price") && !byField.containsKey("amount")) {
                    out.add(Refusals.CODES.of("mapping", "missing.price", "map a column to unit_price or amount"));
                }
                if (!byField.containsKey("store") && !hasDefaultStore) {
                    out.add(Refusals.CODES.of("mapping", "missing.store", "map a column to store, or choose a default store"));
                }
            }
        }
        return out;
    }

    int column(String field) {
        return byField.getOrDefault(field, -1);
    }

    boolean has(String field) {
        return byField.containsKey(field);
    }

    String header(String field) {
        Integer i = byField.get(field);
        return i == null ? field : headers.get(i);
    }

    Map<String, Integer> custom() {
        return custom;
    }

    /** The mapping as saved: header text to field, for the columns that are mapped. */
    Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        byField.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> out.put(headers.get(e.getValue()), e.getKey()));
        return out;
    }
}
