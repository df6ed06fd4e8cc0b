package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every console string exists in Chinese and in English, and every message a page uses is defined. */
class ConsoleMessagesTest {

    private static final Path I18N = Path.of("src/main/resources/i18n");
    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final Pattern MESSAGE = Pattern.compile("#\\{([A-Za-z0-9_.-]+)[}(]");

    @Test
    void everyBundleHasTheSameKeysInChineseAndEnglish() throws IOException {
        for (String bundle : bundles()) {
            Set<String> base = load(I18N.resolve(bundle + ".properties")).stringPropertyNames();
            Set<String> zh = load(I18N.resolve(bundle + "_zh_CN.properties")).stringPropertyNames();
            Set<String> en = load(I18N.resolve(bundle + "_en.properties")).stringPropertyNames();
            assertThat(zh).as("keys of %s_zh_CN vs %s", bundle, bundle).isEqualTo(base);
            assertThat(en).as("keys of %s_en vs %s", bundle, bundle).isEqualTo(base);
        }
    }

    @Test
    void everyMessageAPageUsesIsDefined() throws IOException {
        Set<String> defined = new HashSet<>();
        for (String bundle : bundles()) {
            defined.addAll(load(I18N.resolve(bundle + "_zh_CN.properties")).stringPropertyNames());
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        try (Stream<Path> pages = Files.walk(TEMPLATES)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = MESSAGE.matcher(Files.readString(page));
                while (m.find()) {
                    if (!defined.contains(m.group(1))) {
                        missing.computeIfAbsent(TEMPLATES.relativize(page).toString(), k -> new TreeSet<>()).add(m.group(1));
                    }
                }
            }
        }
        assertThat(missing).as("messages used by pages but not defined").isEmpty();
    }

    /**
     * A message with arguments goes through MessageFormat, where a lone apostrophe starts a quote: "the
     * customer's zone, {0}" prints "the customers zone, {0}". Such messages write it twice.
     */
    @Test
    void aMessageWithArgumentsWritesItsApostrophesTwice() throws IOException {
        Pattern argument = Pattern.compile("\\{\\d");
        Pattern loneApostrophe = Pattern.compile("(?<!')'(?!')");
        Map<String, String> wrong = new TreeMap<>();
        for (String bundle : bundles()) {
            for (String file : new String[] {bundle + ".properties", bundle + "_en.properties", bundle + "_zh_CN.properties"}) {
                Properties messages = load(I18N.resolve(file));
                for (String key : messages.stringPropertyNames()) {
                    String text = messages.getProperty(key);
                    if (argument.matcher(text).find() && loneApostrophe.matcher(text).find()) {
                        wrong.put(file + " " + key, text);
                    }
                }
            }
        }
        assertThat(wrong).as("messages with arguments and a lone apostrophe").isEmpty();
    }

    /** A browser tab among a dozen says what the page is and that it is ours: "顾客 · 回头客". */
    @Test
    void everyPageTitleEndsWithTheProductName() throws IOException {
        Pattern title = Pattern.compile("(?s)<head>.*?<title th:(?:text|replace)=\"([^\"]*)\""); // not an SVG's
        Set<String> bare = new TreeSet<>();
        try (Stream<Path> pages = Files.walk(TEMPLATES)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = title.matcher(Files.readString(page));
                if (m.find() && !m.group(1).endsWith("+ ' · ' + #{app.name}") && !m.group(1).equals("${title}")) {
                    bare.add(TEMPLATES.relativize(page).toString());
                }
            }
        }
        assertThat(bare).as("pages whose title does not end with ' · ' + #{app.name}").isEmpty();
    }

    private static Set<String> bundles() throws IOException {
        try (Stream<Path> files = Files.list(I18N)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".properties") && !n.contains("_"))
                    .map(n -> n.substring(0, n.length() - ".properties".length()))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
