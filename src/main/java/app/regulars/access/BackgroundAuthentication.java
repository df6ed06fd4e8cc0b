package app.regulars.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Transient;

/**
 * Work done in the background on someone's behalf (an import job), carrying the {@link Caller} who
 * asked for it, so that what the caller may change is checked there as in the request.
 */
@Transient
final class BackgroundAuthentication extends AbstractAuthenticationToken {

    private final CallerSource source;

    BackgroundAuthentication(Caller caller) {
        super(List.of());
        this.source = () -> caller;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return source;
    }
}
