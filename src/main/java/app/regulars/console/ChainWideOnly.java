package app.regulars.console;

import app.regulars.access.Callers;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * What belongs to the whole chain (coupon templates and draws, segments, tags) is changed by the
 * owner and HQ only: their pages show the forms to them alone, and refuse a post from anyone else.
 */
final class ChainWideOnly {

    private ChainWideOnly() {}

    /** Whether the signed-in user works for all stores, so the page shows its forms. */
    static boolean mayEdit() {
        return Callers.current().allStores();
    }

    static void require() {
        if (!mayEdit()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
    }
}
