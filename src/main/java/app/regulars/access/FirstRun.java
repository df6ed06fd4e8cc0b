package app.regulars.access;

import app.regulars.platform.Database;
import app.regulars.platform.RegularsProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the first start (no owner yet, migrations done) creates the owner with a one-time password and,
 * for the embedded demo database, a demo POS key. Once an owner exists it does nothing, so restarts
 * regenerate nothing.
 */
@Component
class FirstRun implements ApplicationRunner {

    /** No 0/O or 1/l/I: people copy this password from a terminal. */
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Users users;
    private final ApiKeys keys;
    private final Audit audit;
    private final Database database;
    private final RegularsProperties properties;
    private final TransactionTemplate tx;
    private final SecureRandom random = new SecureRandom();

    FirstRun(Users users, ApiKeys keys, Audit audit, Database database, RegularsProperties properties,
             TransactionTemplate tx) {
        this.users = users;
        this.keys = keys;
        this.audit = audit;
        this.database = database;
        this.properties = properties;
        this.tx = tx;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.ownerExists()) {
            return;
        }
        String password = oneTimePassword();
        // An external database is a real installation: a key nobody ever saw would be a secret with no
        // use, so only the embedded demo set-up gets one; owners issue keys in the console.
        String apiKey = tx.execute(status -> {
            if (!users.createFirstOwner(password)) {
                return null; // another node created the owner meanwhile
            }
            audit.recordAs("system", "first-run.owner-created", "app_user", "owner", Map.of());
            return database.isEmbedded() ? keys.issueAs("system", "demo POS", Set.of()) : "";
        });
        if (apiKey == null) {
            return;
        }
        FirstRunNotice notice = new FirstRunNotice(System.out);
        if (database.isEmbedded()) {
            Path dataDir = properties.dataDir();
            deleteStale(dataDir.resolve(FirstRunNotice.FILE_NAME));
            notice.announceEmbedded(dataDir, password, apiKey);
        } else {
            notice.announceExternal(password);
        }
    }

    /** A file left from a database that was since wiped holds dead credentials; the new owner replaces them. */
    private static void deleteStale(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not replace the stale " + file, e);
        }
    }

    private String oneTimePassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
