package app.regulars.catalog;

/** A colleague at one store (advisor, clerk or manager); codes are unique within the store. */
public record Staff(long id, long storeId, String code, String name, String role, boolean active) {

    public static final java.util.List<String> ROLES = java.util.List.of("advisor", "clerk", "manager");
}
