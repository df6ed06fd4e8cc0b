package app.regulars.customers;

import app.regulars.access.Callers;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Definitions are read from the table on every use (a handful of rows), so a field defined in the
 * console is enforced by the very next write, on every node, with nothing to invalidate.
 */
@Service
@Transactional
class JdbcCustomFields implements CustomFields {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final int MAX_TEXT = 500;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    JdbcCustomFields(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<CustomField> definitions() {
        return jdbc.query("select * from custom_field where active order by created_at, key", (rs, i) -> field(rs));
    }

    @Override
    @Transactional(readOnly = true)
    public List<CustomField> allDefinitions() {
        return jdbc.query("select * from custom_field order by created_at, key", (rs, i) -> field(rs));
    }

    @Override
    public CustomField define(CustomField f) {
        Callers.requireAllStores("changing custom fields");
        List<FieldError> errors = new ArrayList<>();
        if (f.key() == null || !KEY.matcher(f.key()).matches()) {
            errors.add(Refusals.CODES.of("key", "fieldKey",
                    "must be a lower-case letter followed by letters, digits or _ (at most 40)"));
        }
        if (f.labelZh() == null || f.labelZh().isBlank()) {
            errors.add(Refusals.CODES.of("labelZh", "required", "required"));
        }
        if (f.type() == null) {
            errors.add(Refusals.CODES.of("type", "fieldType", "one of text, number, date, choice"));
        }
        List<String> choices = f.choices().stream().map(String::strip).filter(c -> !c.isEmpty()).distinct().toList();
        if (f.type() == CustomField.Type.choice && choices.isEmpty()) {
            errors.add(Refusals.CODES.of("choices", "noChoices", "a choice field needs at least one choice"));
        }
        if (f.type() != CustomField.Type.choice && !choices.isEmpty()) {
            errors.add(Refusals.CODES.of("choices", "choicesOnlyForChoice", "only choice fields have choices"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        String labelEn = f.labelEn() == null || f.labelEn().isBlank() ? f.labelZh().strip() : f.labelEn().strip();
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    insert into custom_field (key, label_zh, label_en, type, choices, required, active, created_at)
                    values (?, ?, ?, ?, ?, ?, true, ?)
                    on conflict (key) do update set label_zh = excluded.label_zh, label_en = excluded.label_en,
                        type = excluded.type, choices = excluded.choices, required = excluded.required, active = true""");
            ps.setString(1, f.key());
            ps.setString(2, f.labelZh().strip());
            ps.setString(3, labelEn);
            ps.setString(4, f.type().name());
            ps.setArray(5, con.createArrayOf("text", choices.toArray()));
            ps.setBoolean(6, f.required());
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            return ps;
        });
        return new CustomField(f.key(), f.labelZh().strip(), labelEn, f.type(), choices, f.required(), true);
    }

    @Override
    public void deactivate(String key) {
        Callers.requireAllStores("changing custom fields");
        if (jdbc.update("update custom_field set active = false where key = ?", key) == 0) {
            throw ApiProblem.notFound("custom field " + key);
        }
    }

    @Override
    @Transactional(readOnly = true)
    public Validated validate(Map<String, String> raw, boolean requireAll) {
        return validate(raw, requireAll, definitions());
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS) // pure computation: no connection for it
    public Validated validate(Map<String, String> raw, boolean requireAll, List<CustomField> definitions) {
        Map<String, CustomField> fields = new LinkedHashMap<>();
        definitions.forEach(f -> fields.put(f.key(), f));
        Map<String, Object> values = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> given = raw == null ? Map.of() : raw;
        for (var e : given.entrySet()) {
            CustomField field = fields.get(e.getKey());
            String name = "custom." + e.getKey();
            if (field == null) {
                errors.add(Refusals.CODES.of(name, "noSuchCustomField", "no such custom field"));
                continue;
            }
            String v = e.getValue() == null ? "" : e.getValue().strip();
            if (v.isEmpty()) {
                continue;
            }
            Object typed = typed(field, v, name, errors);
            if (typed != null) {
                values.put(field.key(), typed);
            }
        }
        if (requireAll) {
            for (CustomField f : fields.values()) {
                if (f.required() && !values.containsKey(f.key())
                        && errors.stream().noneMatch(x -> x.field().equals("custom." + f.key()))) {
                    errors.add(Refusals.CODES.of("custom." + f.key(), "required", "required"));
                }
            }
        }
        return new Validated(values, errors);
    }

    private static Object typed(CustomField field, String v, String name, List<FieldError> errors) {
        switch (field.type()) {
            case text -> {
                if (v.length() > MAX_TEXT) {
                    errors.add(Refusals.CODES.of(name, "tooLong", MAX_TEXT, "at most " + MAX_TEXT + " characters"));
                    return null;
                }
                return v;
            }
            case number -> {
                try {
                    return new BigDecimal(v);
                } catch (NumberFormatException ex) {
                    errors.add(Refusals.CODES.of(name, "notNumber", "must be a number"));
                    return null;
                }
            }
            case date -> {
                try {
                    return LocalDate.parse(v);
                } catch (DateTimeParseException ex) {
                    errors.add(Refusals.CODES.of(name, "notDate", "must be a date (yyyy-MM-dd)"));
                    return null;
                }
            }
            case choice -> {
                if (!field.choices().contains(v)) {
                    // The choices are the field's definition, not what was sent: safe to repeat.
                    String choices = String.join(", ", field.choices());
                    errors.add(Refusals.CODES.of(name, "oneOf", choices, "must be one of " + choices));
                    return null;
                }
                return v;
            }
        }
        return null;
    }

    private static CustomField field(ResultSet rs) throws SQLException {
        Array choices = rs.getArray("choices");
        return new CustomField(rs.getString("key"), rs.getString("label_zh"), rs.getString("label_en"),
                CustomField.Type.valueOf(rs.getString("type")),
                choices == null ? List.of() : List.of((String[]) choices.getArray()),
                rs.getBoolean("required"), rs.getBoolean("active"));
    }
}
