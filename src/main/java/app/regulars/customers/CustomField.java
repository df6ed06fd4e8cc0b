package app.regulars.customers;

import java.util.List;

/**
 * A profile field the chain defined at run time ("skin type", "shoe size"). Values live with the
 * customer and are validated on every write; deleting a field deactivates it (values are kept).
 *
 * @param key     stable machine name, {@code [a-z][a-z0-9_]*}; values are addressed as {@code custom.<key>}
 * @param choices the allowed values of a {@code choice} field, empty otherwise
 */
public record CustomField(String key, String labelZh, String labelEn, Type type, List<String> choices,
                          boolean required, boolean active) {

    public enum Type {
        text, number, date, choice
    }

    public CustomField {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    /** The label in the console's language. */
    public String label(java.util.Locale locale) {
        return "zh".equals(locale.getLanguage()) || labelEn == null || labelEn.isBlank() ? labelZh : labelEn;
    }
}
