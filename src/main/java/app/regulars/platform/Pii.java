package app.regulars.platform;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Personal data at rest: AES-256-GCM encryption of values and HMAC-SHA256 blind indexes for exact
 * lookups (by phone, card, name). The associated data binds a ciphertext to its column, so a value
 * copied into another column does not decrypt.
 */
@Component
public class Pii {

    private static final Logger log = LoggerFactory.getLogger(Pii.class);

    private final Aead aead;
    private final Mac mac;

    Pii(RegularsProperties properties) {
        try {
            AeadConfig.register();
            MacConfig.register();
            Path keys = properties.dataDir().resolve("keys");
            this.aead = keyset(properties.keys() == null ? null : properties.keys().aead(), keys.resolve("aead.json"),
                    PredefinedAeadParameters.AES256_GCM).getPrimitive(RegistryConfiguration.get(), Aead.class);
            this.mac = keyset(properties.keys() == null ? null : properties.keys().mac(), keys.resolve("mac.json"),
                    PredefinedMacParameters.HMAC_SHA256_256BITTAG).getPrimitive(RegistryConfiguration.get(), Mac.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PII keys could not be loaded", e);
        }
    }

    /** Encrypts a value for one column ("customer.phone"); null stays null. */
    public byte[] encrypt(String plaintext, String column) {
        if (plaintext == null) {
            return null;
        }
        try {
            return aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), column.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed for " + column, e);
        }
    }

    /** Decrypts what {@link #encrypt} wrote for the same column; null stays null. */
    public String decrypt(byte[] ciphertext, String column) {
        if (ciphertext == null) {
            return null;
        }
        try {
            return new String(aead.decrypt(ciphertext, column.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed for " + column, e);
        }
    }

    /**
     * A deterministic keyed digest of an already normalised value, for equality lookups without
     * storing the value in the clear. The kind ("phone", "card", "name") keeps equal strings of
     * different kinds apart.
     */
    public byte[] blindIndex(String kind, String normalisedValue) {
        if (normalisedValue == null) {
            return null;
        }
        try {
            return mac.computeMac((kind + '\u0000' + normalisedValue).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("blind index failed for " + kind, e);
        }
    }

    private static KeysetHandle keyset(String configured, Path file, Parameters parameters)
            throws GeneralSecurityException {
        if (configured != null && !configured.isBlank()) {
            return TinkJsonProtoKeysetFormat.parseKeyset(configured, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
        }
        try {
            if (Files.exists(file)) {
                return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), RegistryConfiguration.get(),
                        InsecureSecretKeyAccess.get());
            }
            log.warn("No PII keyset configured; generating {} (keep it safe: without it personal data cannot be read)",
                    file.toAbsolutePath());
            KeysetHandle handle = KeysetHandle.generateNew(parameters, RegistryConfiguration.get());
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, RegistryConfiguration.get(),
                    InsecureSecretKeyAccess.get()));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return handle;
        } catch (IOException e) {
            throw new UncheckedIOException("PII keyset file " + file, e);
        }
    }
}
