package app.regulars.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a holiday's date comes from. */
public enum HolidayKind {
    /** Chinese lunisolar calendar (Spring Festival, Mid-Autumn, …): a different Gregorian date each year. */
    LUNAR,
    /** Same Gregorian date every year (National Day). */
    FIXED,
    /** E-commerce festivals (618, 双11) with long presales. */
    SHOPPING,
    /** Added by the chain in the console (store anniversary, local fair). */
    CUSTOM;

    @JsonValue
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
