package app.regulars.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.IntegrationTest;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.Database;
import app.regulars.platform.RegularsProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

class AccessUsersTest extends IntegrationTest {

    @Autowired Users users;
    @Autowired ApiKeys apiKeys;
    @Autowired FirstRun firstRun;
    @Autowired Database database;
    @Autowired RegularsProperties properties;
    @Autowired PasswordEncoder passwords;
    @Autowired JdbcClient jdbc;

    @Test
    void aStoreManagerSeesOnlyTheirStores() {
        UserAccount manager = users.create(unique("manager"), "long-enough-pw", Role.STORE_MANAGER, Set.of(4L, 5L));
        Caller caller = new SignedInUser(manager, null).caller();

        assertThat(caller.maySee(4)).isTrue();
        assertThat(caller.maySee(6)).isFalse();
        assertThat(caller.allStores()).isFalse();
        assertThat(caller.mayRevealPii()).isTrue();
    }

    @Test
    void passwordsAreKeptAsBcryptHashes() {
        String name = unique("clerk");
        users.create(name, "long-enough-pw", Role.CLERK, Set.of(1L));

        String hash = jdbc.sql("select password_hash from app_user where username = :u").param("u", name)
                .query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}").doesNotContain("long-enough-pw");
    }

    @Test
    void aNewPasswordMustBeLongAndNew() {
        String name = unique("analyst");
        users.create(name, "first-password", Role.ANALYST, Set.of(2L));

        assertThat(users.changePassword(name, "wrong-password", "second-password")).isEqualTo(PasswordChange.WRONG_CURRENT_PASSWORD);
        assertThat(users.changePassword(name, "first-password", "short")).isEqualTo(PasswordChange.TOO_SHORT);
        assertThat(users.changePassword(name, "first-password", "first-password")).isEqualTo(PasswordChange.SAME_AS_CURRENT);
        assertThat(users.changePassword(name, "first-password", "second-password")).isEqualTo(PasswordChange.CHANGED);
        assertThat(users.forSignIn(name).orElseThrow().getPassword()).satisfies(
                hash -> assertThat(passwords.matches("second-password", hash)).isTrue());
    }

    @Test
    void usernamesAreUniqueRegardlessOfCase() {
        String name = unique("Marketer");
        users.create(name, "long-enough-pw", Role.HQ_MARKETER, Set.of());

        assertThatThrownBy(() -> users.create(name.toLowerCase(), "long-enough-pw", Role.HQ_MARKETER, Set.of()))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("already taken");
    }

    @Test
    void aScopedRoleNeedsAStore() {
        assertThatThrownBy(() -> users.create(unique("clerk"), "long-enough-pw", Role.CLERK, Set.of()))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("storeIds");
    }

    @Test
    void aRestartRegeneratesNothing() throws Exception {
        Path file = properties.dataDir().resolve(FirstRunNotice.FILE_NAME);
        String before = database.isEmbedded() ? Files.readString(file) : "";
        long keys = apiKeys.list().size();

        firstRun.run(null);

        assertThat(jdbc.sql("select count(*) from app_user where role = 'owner' and username = 'owner'")
                .query(Long.class).single()).isEqualTo(1);
        assertThat(apiKeys.list()).hasSize((int) keys);
        if (database.isEmbedded()) {
            assertThat(Files.readString(file)).isEqualTo(before);
        }
    }

    @Test
    void theFirstRunCredentialsOpenTheConsoleAndTheApi() throws Exception {
        if (!database.isEmbedded()) {
            return; // an external database gets no credentials file
        }
        Map<String, String> credentials = Files.readAllLines(properties.dataDir().resolve(FirstRunNotice.FILE_NAME))
                .stream().map(line -> line.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));

        SignedInUser owner = users.forSignIn("owner").orElseThrow();
        assertThat(passwords.matches(credentials.get("owner_password"), owner.getPassword())).isTrue();
        assertThat(owner.account().mustChangePassword()).isTrue();
        ApiKey demo = apiKeys.describe(credentials.get("api_key")).orElseThrow();
        assertThat(demo.allStores()).isTrue();
        assertThat(demo.name()).isEqualTo("demo POS");
    }

    @Test
    void callersOutsideARequestAreTheSystem() {
        assertThat(Callers.current()).isEqualTo(Caller.SYSTEM);
        assertThat(List.of(Caller.ANONYMOUS.maySee(1), Caller.SYSTEM.maySee(1))).containsExactly(false, true);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
