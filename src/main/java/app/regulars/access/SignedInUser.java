package app.regulars.access;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** The principal of a console session: the account, and its password hash only until sign-in is checked. */
final class SignedInUser implements UserDetails, CredentialsContainer, CallerSource {

    private final UserAccount account;
    private String passwordHash;

    SignedInUser(UserAccount account, String passwordHash) {
        this.account = account;
        this.passwordHash = passwordHash;
    }

    UserAccount account() {
        return account;
    }

    /** The same user after choosing their own password. */
    SignedInUser withPasswordChanged() {
        UserAccount a = account;
        return new SignedInUser(new UserAccount(a.id(), a.username(), a.displayName(), a.role(), a.storeIds(),
                false, a.disabled(), a.createdAt()), null);
    }

    @Override
    public Caller caller() {
        Role role = account.role();
        return new Caller(account.username(), role.allStores(), account.storeIds(), role.mayRevealPii());
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + account.role().name()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return account.username();
    }

    @Override
    public boolean isEnabled() {
        return !account.disabled();
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }
}
