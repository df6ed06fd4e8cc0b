package app.regulars.access;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Tells the person who started Regulars for the first time how to get in. Printed to stdout rather
 * than logged: log configuration may filter or ship logs elsewhere, and a password has no place there.
 */
final class FirstRunNotice {

    static final String FILE_NAME = "first-run-credentials";
    private static final String RULE = "=".repeat(72);

    private final PrintStream out;

    FirstRunNotice(PrintStream out) {
        this.out = out;
    }

    /**
     * Embedded database (a demo or trial on one machine): prints both secrets and keeps them in
     * {@code <dataDir>/first-run-credentials}, readable by the owner of the process only. An existing
     * file is never overwritten; then nothing is printed either.
     *
     * @return whether the credentials were announced
     */
    boolean announceEmbedded(Path dataDir, String ownerPassword, String apiKey) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    ("owner_password=" + ownerPassword + "\napi_key=" + apiKey + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        out.println(RULE);
        out.println("  Regulars is ready. Sign in to the console as 'owner' with this one-time password");
        out.println("  (you will choose your own at the first sign-in):");
        out.println();
        out.println("      owner password:  " + ownerPassword);
        out.println("      demo POS API key (all stores):  " + apiKey);
        out.println();
        out.println("  Both are also in " + file.toAbsolutePath() + " (mode 600).");
        out.println("  They are shown only this once; delete the file when you have them.");
        out.println(RULE);
        out.flush();
        return true;
    }

    /**
     * External database (a real installation): the password is printed once and written nowhere, so
     * no secret lies around on the application server's disk.
     */
    void announceExternal(String ownerPassword) {
        out.println(RULE);
        out.println("  Regulars is ready. Sign in to the console as 'owner' with this one-time password");
        out.println("  (shown only this once; you will choose your own at the first sign-in):");
        out.println();
        out.println("      owner password:  " + ownerPassword);
        out.println();
        out.println("  Issue API keys for your tills under Settings → API keys.");
        out.println(RULE);
        out.flush();
    }
}
