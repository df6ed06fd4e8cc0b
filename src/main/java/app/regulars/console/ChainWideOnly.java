package app.regulars.console;

import app.regulars.access.Callers;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ResponseStatusException;

/**
 * What belongs to the whole chain (stores, products, holidays, custom fields, the loyalty programme,
 * coupon templates and draws, segments, tags) is changed by the owner and HQ only. Every console page
 * gets {@code mayEdit} to show those forms to them alone; the handlers refuse a post from anyone else
 * with 403, and the services refuse it again whatever the door (see {@code Callers.requireAllStores}).
 */
@ControllerAdvice(basePackageClasses = ChainWideOnly.class)
final class ChainWideOnly {

    /** Whether the signed-in user works for all stores, so the page shows its forms. */
    @ModelAttribute("mayEdit")
    boolean mayEditModel() {
        return mayEdit();
    }

    static boolean mayEdit() {
        return Callers.current().allStores();
    }

    static void require() {
        if (!mayEdit()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
    }
}
