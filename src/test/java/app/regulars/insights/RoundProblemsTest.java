package app.regulars.insights;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.ChildRegulars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real membership round that cannot evaluate a saved segment records why, as a coded message, and leaves
 * its members as they were; the API says it in English, the console in the reader's language; once the cause
 * is gone, the next round clears it and evaluates the rule for everyone.
 *
 * <p>The problem is one only the evaluation sees: {@code coupon_redeemed("…")} in a chain that has no coupon
 * templates yet passes the check (it has no names to hold the argument against) while the engine finds no
 * template of that name. That needs a chain without templates, which the suite's shared database is not once
 * the coupon tests have run, so this test runs on a Regulars of its own ({@link ChildRegulars}) and does
 * everything through its API and console.
 */
@Tag("browser")
class RoundProblemsTest {

    private static final String STORE = "RP-01";
    private static final String TEMPLATE = "满300减50";
    private static final String OWNER = "rp-owner";
    private static final String PASSWORD = "rp-owner-password";

    private final ObjectMapper json = new ObjectMapper();
    private ChildRegulars child;
    private String key;
    private Playwright playwright;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aRoundThatCannotEvaluateASegmentRecordsWhyAndKeepsItsMembers() throws Exception {
        child = ChildRegulars.prepare("rule-problem");
        child.start("rounds");
        key = child.insertApiKey();
        child.insertOwner(OWNER, PASSWORD);
        send("POST", "/api/v1/stores", Map.of("code", STORE, "name", "Rule problem store", "region", "East",
                "city", "Shanghai"), 200);
        long twice = sale("13600000001", "RP-1");
        assertThat(sale("13600000001", "RP-2")).isEqualTo(twice);
        long once = sale("13600000002", "RP-3");
        assertThat(send("GET", "/api/v1/coupon-templates", null, 200)).as("a chain without coupon templates").isEmpty();

        String name = "回头客";
        long id = send("POST", "/api/v1/segments", Map.of("name", name, "text", "orders() >= 1"), 201).path("id").asLong();
        // An automatic tag built on the segment follows it.
        long tag = send("POST", "/api/v1/tags", Map.of("name", "回头客标签", "text", "segment(\"" + name + "\")"), 201)
                .path("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> members("segments", id), m -> m.size() == 2);
        assertThat(members("segments", id)).containsExactlyInAnyOrder(twice, once);
        await().atMost(Duration.ofSeconds(30)).until(() -> members("tags", tag), m -> m.size() == 2);

        // Saved: with no templates in the chain the check cannot tell the name is wrong.
        String rule = "orders() >= 2 and coupon_redeemed(\"" + TEMPLATE + "\", 90d) = 0";
        JsonNode saved = send("PUT", "/api/v1/segments/" + id, Map.of("name", name, "text", rule), 200);
        assertThat(saved.hasNonNull("problem")).as("nothing is known before a round evaluates it").isFalse();

        // 1. The round records it.
        String english = "no coupon template named \"" + TEMPLATE + "\"";
        await().atMost(Duration.ofSeconds(30)).until(() -> segment(id).path("problem").asText(null), english::equals);
        assertThat(storedMessage(id)).isEqualTo(
                "{\"args\": [\"" + TEMPLATE + "\"], \"code\": \"rule.problem.noCouponTemplate\"}");

        // 2. The API says it in English, and the members are those of before, not emptied.
        JsonNode shown = segment(id);
        assertThat(shown.path("text").asText()).isEqualTo(rule);
        assertThat(shown.path("members").asInt()).isEqualTo(2);
        assertThat(members("segments", id)).containsExactlyInAnyOrder(twice, once);
        assertThat(members("tags", tag)).containsExactlyInAnyOrder(twice, once);

        // 3. The console says it in Chinese, on the segment's page and in the list; in English when switched.
        playwright = BrowserTest.playwright();
        Browser browser = BrowserTest.chromium(playwright);
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setLocale("zh-CN"));
        Page page = context.newPage();
        signIn(page);
        Locator banner = page.locator("#segment-problem");
        Locator inList = page.locator("tr[data-segment='" + name + "'] div.error");
        String chinese = "没有名为“" + TEMPLATE + "”的券模板";

        page.navigate(url("/segments/" + id));
        assertThat(banner).hasText("该规则目前无法计算：" + chinese);
        // The builder's picker keeps the template the rule names, and says it is missing.
        Locator picked = page.locator("select[id^='argument-'] option:checked");
        assertThat(picked).hasAttribute("value", TEMPLATE);
        assertThat(picked).hasText(TEMPLATE + "（无此券模板）");
        shot(page, "segment-round-problem-zh");
        page.navigate(url("/segments"));
        assertThat(inList).hasText(chinese);

        page.navigate(url("/segments/" + id + "?lang=en"));
        assertThat(banner).hasText("This rule cannot be evaluated now: " + english);
        page.navigate(url("/segments"));
        assertThat(inList).hasText(english);

        // 4. The template now exists. Nothing evaluated the rule since, so the recorded problem is still said ...
        send("POST", "/api/v1/coupon-templates", Map.of("name", TEMPLATE, "kind", "fixed", "amountCents", 5000,
                "validDays", 30), 201);
        assertThat(segment(id).path("problem").asText(null)).isEqualTo(english);

        // ... until the next round, which the next purchase anywhere brings: it clears the problem and the
        // rule as saved decides the members, for everyone and not only for the customer who just bought.
        sale("13600000003", "RP-4");
        await().atMost(Duration.ofSeconds(30)).until(() -> !segment(id).hasNonNull("problem"));
        assertThat(storedMessage(id)).isNull();
        assertThat(members("segments", id)).as("two orders and no 满300减50 redeemed; not %d, who bought once", once)
                .containsExactly(twice);
        assertThat(segment(id).path("members").asInt()).isEqualTo(1);
        assertThat(members("tags", tag)).as("the tag on the segment follows it").containsExactly(twice);

        page.navigate(url("/segments/" + id));
        assertThat(page.locator("main h1")).hasText(name);
        assertThat(banner).hasCount(0);
        assertThat(picked).hasText(TEMPLATE);
        page.navigate(url("/segments"));
        assertThat(page.locator("tr[data-segment='" + name + "']")).isVisible();
        assertThat(inList).hasCount(0);
        context.close();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (playwright != null) {
            playwright.close();
        }
        if (child != null) {
            child.close();
        }
    }

    // ---- the console

    private String url(String path) {
        return child.uri(path).toString();
    }

    private void signIn(Page page) {
        page.navigate(url("/login"));
        page.locator("#username").fill(OWNER);
        page.locator("#password").fill(PASSWORD);
        page.locator("form button[type=submit]").click();
        page.waitForURL(u -> !u.contains("/login"));
    }

    private static void shot(Page page, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
    }

    // ---- the API

    private long sale(String phone, String receiptNo) throws Exception {
        String purchasedAt = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.now(ZoneOffset.ofHours(8)).minusDays(1).truncatedTo(ChronoUnit.SECONDS));
        return send("POST", "/api/v1/receipts", Map.of("source", "pos-rp", "receiptNo", receiptNo, "storeCode", STORE,
                "purchasedAt", purchasedAt, "customer", Map.of("phone", phone),
                "lines", List.of(Map.of("sku", "SKU-RP", "quantity", 1, "unitPrice", "320.00"))), 201)
                .path("customerId").asLong();
    }

    private JsonNode segment(long id) throws Exception {
        return send("GET", "/api/v1/segments/" + id, null, 200);
    }

    /** A segment's or tag's members as the API exports them. */
    private List<Long> members(String kind, long id) throws Exception {
        HttpResponse<String> csv = child.http().send(request("/api/v1/" + kind + "/" + id + "/members.csv")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        return csv.body().lines().skip(1).map(Long::valueOf).toList();
    }

    private JsonNode send(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
        HttpResponse<String> response = child.http().send(request(path).header("Content-Type", "application/json")
                .header("Accept", "application/json").method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return json.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(child.uri(path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key);
    }

    /** What the round stored beside the English: read, never written, by this test. */
    private String storedMessage(long id) throws Exception {
        try (Connection c = child.connect();
             PreparedStatement s = c.prepareStatement("select problem_message::text from segment where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
