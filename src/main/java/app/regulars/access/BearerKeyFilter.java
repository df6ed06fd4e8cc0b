package app.regulars.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer rk_…} on API calls. A request that presents a header
 * and fails is refused here, with the reason; a request without one goes on (a console session may
 * still carry it, otherwise the entry point answers 401).
 */
final class BearerKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final ProblemResponses problems;

    BearerKeyFilter(ApiKeys keys, ProblemResponses problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            problems.unauthorized(response, "Authorization must be 'Bearer <API key>'");
            return;
        }
        Optional<ApiKey> key = keys.presented(header.substring(7).strip());
        if (key.isEmpty()) {
            problems.unauthorized(response, "unknown API key");
            return;
        }
        if (key.get().revoked()) {
            problems.unauthorized(response, "API key " + key.get().prefix() + "… was revoked");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(CallerAuthentication.ofKey(key.get()));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
