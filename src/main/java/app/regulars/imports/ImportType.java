package app.regulars.imports;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a file brings in, and the fields its columns can be mapped to. */
public enum ImportType {

    CUSTOMERS(List.of("phone", "card_no", "name", "gender", "birthday", "city", "region", "home_store",
            "registration_store", "registration_channel", "registered_at", "external_id", "wechat_openid")),
    PRODUCTS(List.of("sku", "name", "category", "brand", "price", "consumable")),
    RECEIPTS(List.of("receipt_no", "store", "purchased_at", "phone", "card_no", "external_id", "sku", "name",
            "quantity", "unit_price", "discount", "amount", "coupon_code", "channel", "payment_method", "staff",
            "kind", "original_receipt_no", "reason"));

    /** Prefix of run-time custom customer fields ("custom.shoe_size"). */
    public static final String CUSTOM_PREFIX = "custom.";

    private final List<String> fields;

    ImportType(List<String> fields) {
        this.fields = fields;
    }

    /** The fixed target fields, in the order the console offers them. */
    public List<String> fields() {
        return fields;
    }

    public boolean accepts(String field) {
        return fields.contains(field) || (this == CUSTOMERS && field.startsWith(CUSTOM_PREFIX)
                && field.length() > CUSTOM_PREFIX.length());
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ImportType> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        for (ImportType t : values()) {
            if (t.code().equalsIgnoreCase(text.strip())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
