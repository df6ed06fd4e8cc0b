package app.regulars.access;

import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/** Console sign-ins, successful or not, go to the audit log. */
@Component
class SignInAudit {

    private final Audit audit;
    private final Users users;

    SignInAudit(Audit audit, Users users) {
        this.audit = audit;
        this.users = users;
    }

    @EventListener
    void signedIn(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof SignedInUser user) {
            audit.recordAs(user.getUsername(), "user.signed-in", "app_user", Long.toString(user.account().id()), Map.of());
        }
    }

    /**
     * A failed attempt names the account only when it exists: people sometimes type their password
     * into the username field, and that must not end up in the log.
     */
    @EventListener
    void refused(AbstractAuthenticationFailureEvent event) {
        String typed = event.getAuthentication().getName();
        Optional<UserAccount> account = typed == null ? Optional.empty() : users.find(typed);
        audit.recordAs("anonymous", "user.sign-in-refused", "app_user",
                account.map(a -> Long.toString(a.id())).orElse(null),
                Map.of("reason", event.getException().getClass().getSimpleName()));
    }
}
