package app.regulars.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.Transient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authentication that stands for a {@link Caller} for one request (a valid, unrevoked API key: its
 * description, never the key) or one background job (done for whoever started it).
 * Transient: it is never kept in a session. WHY: the API chain reads the console's session (for htmx
 * pages), and without this the session repository saved every key call's authentication in a new
 * HTTP session — a session and a JSESSIONID cookie per till call that then authenticated, without
 * the key, the API and the console, even after the key was revoked.
 */
@Transient
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final CallerSource principal;

    private CallerAuthentication(CallerSource principal, List<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = principal;
        setAuthenticated(true);
    }

    /** Systems never unmask personal data: a till needs a customer's id and points, not their phone number. */
    static CallerAuthentication ofKey(ApiKey key) {
        return new CallerAuthentication(new KeyHolder(key.id(),
                new Caller("api-key:" + key.name(), key.allStores(), key.storeIds(), false)),
                List.of(new SimpleGrantedAuthority("ROLE_API")));
    }

    /** A job run for the caller who started it, so that what the caller may change is checked there too. */
    static CallerAuthentication ofJob(Caller caller) {
        return new CallerAuthentication(() -> caller, List.of());
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    record KeyHolder(long keyId, Caller caller) implements CallerSource {}
}
