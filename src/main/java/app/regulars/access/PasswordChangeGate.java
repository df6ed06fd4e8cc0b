package app.regulars.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a user with a one-time password on the change-password page until they have chosen their
 * own. Only such users cost a database look-up per request: once the database says the password was
 * changed, the session's principal is replaced and the gate opens.
 */
final class PasswordChangeGate extends OncePerRequestFilter {

    static final String CHANGE_PAGE = "/account/password";
    private static final Set<String> ALWAYS_OPEN = Set.of(CHANGE_PAGE, "/logout", "/login", "/error", "/console.css");

    private final Users users;
    private final SecurityContextRepository sessions;

    PasswordChangeGate(Users users, SecurityContextRepository sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof SignedInUser user)
                || !user.account().mustChangePassword() || open(request)) {
            chain.doFilter(request, response);
            return;
        }
        boolean stillMust = users.find(user.getUsername()).map(UserAccount::mustChangePassword).orElse(true);
        if (!stillMust) {
            SignedInUser changed = user.withPasswordChanged();
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    changed, null, changed.getAuthorities()));
            SecurityContextHolder.setContext(context);
            sessions.saveContext(context, request, response);
            chain.doFilter(request, response);
            return;
        }
        response.sendRedirect(request.getContextPath() + CHANGE_PAGE);
    }

    private static boolean open(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return ALWAYS_OPEN.contains(path) || path.startsWith("/webjars/") || path.startsWith("/actuator/health");
    }
}
