package app.regulars.loyalty;

import app.regulars.access.Callers;
import app.regulars.access.Role;
import app.regulars.platform.ApiProblem;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * Who may change a member's points or tier by hand: the owner, HQ marketers and store managers (a store
 * manager only for customers of their stores, which the customer scope guard in front of every
 * customer's pages and API sees to), and systems holding an API key. Clerks and analysts may not: points
 * are money, and a clerk serving a friend at the counter should not be able to mint them.
 */
public final class ManualChanges {

    private static final Set<Role> MAY_CHANGE = EnumSet.of(Role.OWNER, Role.HQ_MARKETER, Role.STORE_MANAGER);

    private ManualChanges() {}

    /** Whether the current caller may adjust points or set a tier by hand; API keys and the application may. */
    public static boolean allowed() {
        return Callers.role().map(MAY_CHANGE::contains).orElse(true);
    }

    /**
     * Refuses the current caller with a 403 that says why, unless {@link #allowed()}.
     *
     * @param what the change, as the message names it ("manual points adjustments")
     */
    public static void require(String what) {
        if (!allowed()) {
            String role = Callers.role().map(r -> r.code().replace('_', ' ')).orElse("none");
            throw new ApiProblem(HttpStatus.FORBIDDEN, what + " are for the owner, HQ marketers and store managers;"
                    + " this user's role is " + role, List.of());
        }
    }
}
