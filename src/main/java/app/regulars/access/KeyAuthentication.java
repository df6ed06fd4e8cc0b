package app.regulars.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Transient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a valid, unrevoked API key. Holds the key's description, never the key.
 * Transient: it lasts for its request only. WHY: the API chain reads the console's session (for htmx
 * pages), and without this the session repository saved every key call's authentication in a new
 * HTTP session — a session and a JSESSIONID cookie per till call that then authenticated, without
 * the key, the API and the console, even after the key was revoked.
 */
@Transient
final class KeyAuthentication extends AbstractAuthenticationToken {

    private final KeyHolder holder;

    KeyAuthentication(ApiKey key) {
        super(List.of(new SimpleGrantedAuthority("ROLE_API")));
        this.holder = new KeyHolder(key.id(),
                new Caller("api-key:" + key.name(), key.allStores(), key.storeIds(), false));
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return holder;
    }

    /** Systems never unmask personal data: a till needs a customer's id and points, not their phone number. */
    record KeyHolder(long keyId, Caller caller) implements CallerSource {}
}
