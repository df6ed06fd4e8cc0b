package app.regulars.access;

import app.regulars.platform.ApiProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Console users: who they are, their role and the stores they may see. */
@Component
public class Users {

    public static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,50}");

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final Audit audit;
    private final Clock clock;

    Users(JdbcClient jdbc, PasswordEncoder passwords, Audit audit, Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    /** Creates a user ready to sign in with this password (no forced change): for tests and set-up scripts. */
    @Transactional
    public UserAccount create(String username, String password, Role role, Set<Long> storeIds) {
        return create(username, username, password, role, storeIds, false);
    }

    /**
     * Creates a user. Someone who gets a password from the owner should choose their own at first sign-in,
     * hence {@code mustChangePassword}.
     */
    @Transactional
    public UserAccount create(String username, String displayName, String password, Role role, Set<Long> storeIds,
                              boolean mustChangePassword) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiProblem.badRequest("username", "3 to 50 letters, digits or . _ @ -");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiProblem.badRequest("password", "at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (!role.allStores() && storeIds.isEmpty()) {
            throw ApiProblem.badRequest("storeIds", "a " + role.code() + " needs at least one store");
        }
        if (find(username).isPresent()) {
            throw ApiProblem.conflict("username", "already taken");
        }
        String name = displayName == null || displayName.isBlank() ? username : displayName.strip();
        long id = jdbc.sql("""
                insert into app_user (username, password_hash, display_name, role, must_change_password, created_at)
                values (:username, :hash, :name, :role, :mustChange, :now) returning id""")
                .param("username", username)
                .param("hash", passwords.encode(password))
                .param("name", name)
                .param("role", role.code())
                .param("mustChange", mustChangePassword)
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class).single();
        // Chain-wide roles see every store, so rows here would only mislead.
        Set<Long> stores = role.allStores() ? Set.of() : new TreeSet<>(storeIds);
        for (long store : stores) {
            jdbc.sql("insert into app_user_store (user_id, store_id) values (:user, :store)")
                    .param("user", id).param("store", store).update();
        }
        audit.record("user.created", "app_user", Long.toString(id),
                Map.of("role", role.code(), "storeIds", List.copyOf(stores)));
        return find(username).orElseThrow();
    }

    public Optional<UserAccount> find(String username) {
        return jdbc.sql("select * from app_user where lower(username) = lower(:username)")
                .param("username", username)
                .query((rs, n) -> account(rs, storesOf(rs.getLong("id"))))
                .optional();
    }

    public List<UserAccount> list() {
        Map<Long, Set<Long>> stores = new HashMap<>();
        jdbc.sql("select user_id, store_id from app_user_store").query(rs -> {
            stores.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
        });
        return jdbc.sql("select * from app_user order by lower(username)")
                .query((rs, n) -> account(rs, stores.getOrDefault(rs.getLong("id"), Set.of())))
                .list();
    }

    /** A user replaces their password: the new one must be long enough and differ from the current one. */
    @Transactional
    public PasswordChange changePassword(String username, String current, String next) {
        Optional<String> hash = jdbc.sql("select password_hash from app_user where lower(username) = lower(:u) for update")
                .param("u", username).query(String.class).optional();
        if (hash.isEmpty() || current == null || !passwords.matches(current, hash.get())) {
            return PasswordChange.WRONG_CURRENT_PASSWORD;
        }
        if (next == null || next.length() < MIN_PASSWORD_LENGTH) {
            return PasswordChange.TOO_SHORT;
        }
        if (next.equals(current)) {
            return PasswordChange.SAME_AS_CURRENT;
        }
        long id = jdbc.sql("""
                update app_user set password_hash = :hash, must_change_password = false, password_changed_at = :now
                where lower(username) = lower(:u) returning id""")
                .param("hash", passwords.encode(next))
                .param("now", Timestamp.from(clock.instant()))
                .param("u", username)
                .query(Long.class).single();
        audit.record("user.password-changed", "app_user", Long.toString(id), Map.of());
        return PasswordChange.CHANGED;
    }

    boolean ownerExists() {
        return jdbc.sql("select exists (select 1 from app_user where role = 'owner')").query(Boolean.class).single();
    }

    /** Inserts the first owner unless one appeared meanwhile (another node starting at the same time). */
    boolean createFirstOwner(String password) {
        return jdbc.sql("""
                insert into app_user (username, password_hash, display_name, role, must_change_password, created_at)
                values ('owner', :hash, 'Owner', 'owner', true, :now)
                on conflict do nothing""")
                .param("hash", passwords.encode(password))
                .param("now", Timestamp.from(clock.instant()))
                .update() == 1;
    }

    /** What sign-in needs: the account and its password hash. */
    Optional<SignedInUser> forSignIn(String username) {
        return jdbc.sql("select * from app_user where lower(username) = lower(:username)")
                .param("username", username)
                .query((rs, n) -> new SignedInUser(account(rs, storesOf(rs.getLong("id"))), rs.getString("password_hash")))
                .optional();
    }

    private Set<Long> storesOf(long userId) {
        return Set.copyOf(jdbc.sql("select store_id from app_user_store where user_id = :id")
                .param("id", userId).query(Long.class).list());
    }

    private static UserAccount account(ResultSet rs, Set<Long> stores) throws SQLException {
        return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.ofCode(rs.getString("role")), stores, rs.getBoolean("must_change_password"),
                rs.getBoolean("disabled"), rs.getTimestamp("created_at").toInstant());
    }
}
