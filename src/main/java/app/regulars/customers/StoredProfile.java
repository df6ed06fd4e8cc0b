package app.regulars.customers;

import app.regulars.platform.Pii;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A customer's profile as stored, to tell which fields of a change would write what is already there.
 * WHY: an unchanged field announced as changed reaches every reader of {@code customer.updated} (segments
 * re-evaluated, journeys started on a profile change), and the same customers file imported twice, or a
 * till sending the whole profile with each registration, changes nothing.
 *
 * <p>Personal data is compared in the clear (decrypted here, never kept): its ciphertexts differ on every
 * encryption. Phone and card are compared by their blind indexes, which are of normalised values.
 */
final class StoredProfile {

    /** What {@link #read} selects: one statement for the customers of a whole batch. */
    static final String COLUMNS = "id, name, phone_index, card_index, gender, birthday, address, region, city, "
            + "home_store_id, advisor_staff_id, referrer_customer_id, registered_at, custom::text as custom";

    /**
     * The columns each announced field writes; the first is the one compared (the rest follow from it:
     * a blind index, the birthday's month-day and age band).
     */
    private static final Map<String, List<String>> FIELDS = Map.ofEntries(
            Map.entry("name", List.of("name", "name_index")), Map.entry("phone", List.of("phone_index", "phone")),
            Map.entry("cardNo", List.of("card_index", "card_no")), Map.entry("gender", List.of("gender")),
            Map.entry("birthday", List.of("birthday", "birth_mmdd", "age_band")), Map.entry("address", List.of("address")),
            Map.entry("region", List.of("region")), Map.entry("city", List.of("city")),
            Map.entry("homeStoreId", List.of("home_store_id")), Map.entry("advisorStaff", List.of("advisor_staff_id")),
            Map.entry("referrerCustomerId", List.of("referrer_customer_id")),
            Map.entry("registeredAt", List.of("registered_at")), Map.entry("custom", List.of("custom")));

    /** Encrypted columns, by the context they are encrypted under. */
    private static final Map<String, String> SEALED = Map.of("name", "customer.name", "birthday", "customer.birthday",
            "address", "customer.address");

    private final Map<String, Object> values = new HashMap<>();
    private final Pii pii;
    private final ObjectMapper json;

    private StoredProfile(Pii pii, ObjectMapper json) {
        this.pii = pii;
        this.json = json;
    }

    static StoredProfile read(ResultSet rs, Pii pii, ObjectMapper json) throws SQLException {
        StoredProfile stored = new StoredProfile(pii, json);
        for (List<String> columns : FIELDS.values()) {
            String column = columns.getFirst();
            stored.values.put(column, rs.getObject(column));
        }
        return stored;
    }

    /**
     * Takes out of a change the fields whose value is the one stored: their columns from {@code columns}
     * and their names from {@code changed}, so that what is left is what really changes.
     */
    void dropUnchanged(Map<String, Object> columns, List<String> changed) {
        changed.removeIf(field -> {
            List<String> written = FIELDS.get(field);
            if (written == null || !columns.containsKey(written.getFirst())
                    || !same(written.getFirst(), columns.get(written.getFirst()))) {
                return false;
            }
            written.forEach(columns::remove);
            return true;
        });
    }

    private boolean same(String column, Object value) {
        Object stored = values.get(column);
        if (stored == null || value == null) {
            return stored == null && value == null;
        }
        if (SEALED.containsKey(column)) {
            String context = SEALED.get(column);
            return pii.decrypt((byte[]) stored, context).equals(pii.decrypt((byte[]) value, context));
        }
        return switch (stored) {
            case byte[] bytes -> value instanceof byte[] other && Arrays.equals(bytes, other);
            case Timestamp at -> value instanceof Timestamp other && at.toInstant().equals(other.toInstant());
            case Number n -> value instanceof Number other && n.longValue() == other.longValue();
            default -> column.equals("custom") ? sameJson(stored.toString(), value.toString()) : Objects.equals(stored, value);
        };
    }

    /** Custom values as JSON trees: jsonb stores its own spacing and key order. */
    private boolean sameJson(String stored, String value) {
        try {
            return json.readTree(stored).equals(json.readTree(value));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
