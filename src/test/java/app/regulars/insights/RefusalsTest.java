package app.regulars.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every refusal the module codes can be said in Chinese and in English, so the console never falls back to the API's. */
class RefusalsTest {

    private static final Path SOURCES = Path.of("src/main/java/app/regulars/insights");
    private static final Path I18N = Path.of("src/main/resources/i18n");
    /** {@code Refusals.CODES.of("field", "code", …)}: the code is the second argument, when it is a literal. */
    private static final Pattern CODED = Pattern.compile("CODES\\.of\\(\\s*\"[^\"]*\",\\s*\"([A-Za-z]+)\"\\s*,");

    @Test
    void everyRefusalCodeIsWordedInChineseAndInEnglish() throws IOException {
        Properties zh = load("insights_zh_CN.properties");
        Properties en = load("insights_en.properties");
        Properties base = load("insights.properties");
        Set<String> codes = codes();
        assertThat(codes).as("the refusals of rules given both ways and of a manual tag's rule are coded")
                .contains("textAndJson", "manualTagRule");
        for (String code : codes) {
            String key = "insights.refused." + code;
            assertThat(zh.getProperty(key)).as("zh_CN %s", key).isNotBlank();
            assertThat(en.getProperty(key)).as("en %s", key).isNotBlank();
            assertThat(base.getProperty(key)).as("the default bundle says %s as English does", key)
                    .isEqualTo(en.getProperty(key));
        }
    }

    private static Set<String> codes() throws IOException {
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CODED.matcher(Files.readString(file));
                while (m.find()) {
                    codes.add(m.group(1));
                }
            }
        }
        return codes;
    }

    private static Properties load(String bundle) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(I18N.resolve(bundle), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
