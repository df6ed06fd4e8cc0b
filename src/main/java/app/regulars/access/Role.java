package app.regulars.access;

import java.util.Locale;

/** What a console user does in the chain; decides which stores they see and whether PII may be revealed. */
public enum Role {
    OWNER(true, true),
    HQ_MARKETER(true, false),
    STORE_MANAGER(false, true),
    CLERK(false, false),
    ANALYST(false, false);

    private final boolean allStores;
    private final boolean mayRevealPii;

    Role(boolean allStores, boolean mayRevealPii) {
        this.allStores = allStores;
        this.mayRevealPii = mayRevealPii;
    }

    /** Owner and HQ work for the whole chain; everyone else is scoped to the stores assigned to them. */
    public boolean allStores() {
        return allStores;
    }

    /** Only the owner and a store's manager may unmask a customer's phone or name (and that is audited). */
    public boolean mayRevealPii() {
        return mayRevealPii;
    }

    /** The value kept in the database ("store_manager"). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
