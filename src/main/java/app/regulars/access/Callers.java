package app.regulars.access;

import app.regulars.platform.ApiProblem;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the current request or job, read from Spring Security's context. */
public final class Callers {

    private Callers() {}

    /**
     * The signed-in user or API key of this request; {@link Caller#ANONYMOUS} for an unauthenticated
     * request, {@link Caller#SYSTEM} outside any request (background work has no security context).
     */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return Caller.SYSTEM;
        }
        if (authentication instanceof AnonymousAuthenticationToken) {
            return Caller.ANONYMOUS;
        }
        if (authentication.getPrincipal() instanceof CallerSource source) {
            return source.caller();
        }
        return Caller.ANONYMOUS;
    }

    /**
     * The console role of the signed-in user making this request; empty for an API key, an anonymous
     * request and the application's own work, which have no role.
     */
    public static Optional<Role> role() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
            return Optional.of(user.account().role());
        }
        return Optional.empty();
    }

    /**
     * Refuses (403) a caller scoped to some stores. For what belongs to the whole chain: stores,
     * products, categories, holidays, custom fields, the loyalty programme, coupon templates and
     * draws, tags and segments. Checked where those are written, so no door (API, console) forgets it.
     *
     * @param what what the caller tried, for the message ("changing the loyalty programme")
     */
    public static void requireAllStores(String what) {
        if (!current().allStores()) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, what + " needs access to all stores", List.of());
        }
    }

    /**
     * Runs background work as the caller who asked for it, so the checks of what that caller may see
     * and change apply there as in the request. WHY: a job thread has no security context, and the
     * application's own work may change anything.
     */
    public static void runAs(Caller caller, Runnable work) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(CallerAuthentication.ofJob(caller));
        SecurityContextHolder.setContext(context);
        try {
            work.run();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The work, to be run on another thread as the caller of this one (a job's writer threads). */
    public static Runnable carried(Runnable work) {
        return new DelegatingSecurityContextRunnable(work, SecurityContextHolder.getContext());
    }
}
