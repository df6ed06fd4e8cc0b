package app.regulars.platform;

import java.nio.file.Path;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Regulars keeps its files and which database it talks to.
 *
 * @param dataDir  folder for the embedded database, generated keys and first-run credentials
 * @param db       an external PostgreSQL; empty url means "start the embedded one"
 * @param keys     Tink keysets for PII; generated under {@code dataDir} when empty
 * @param demo     load the demo store on the first start of an embedded database
 * @param timezone the chain's time zone, for calendar questions where no store says one (Asia/Shanghai when not
 *                 configured)
 */
@ConfigurationProperties("regulars")
public record RegularsProperties(Path dataDir, Db db, Keys keys, boolean demo, ZoneId timezone) {

    public RegularsProperties {
        timezone = timezone == null ? ZoneId.of("Asia/Shanghai") : timezone;
    }

    public record Db(String url, String user, String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    public record Keys(String aead, String mac) {}
}
