package app.regulars;

import app.regulars.access.Role;
import app.regulars.access.Users;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of console tests: a real Debian Chromium driven by Playwright against the running application.
 * Each test gets a fresh browser context; a screenshot of the last page is kept under
 * target/screenshots/ for people to look at.
 */
@Tag("browser")
public abstract class BrowserTest extends IntegrationTest {

    protected static final String TEST_OWNER = "test-owner";
    protected static final String TEST_PASSWORD = "test-owner-password";

    private static Playwright playwright;
    private static Browser browser;

    @Autowired
    private Users consoleUsers;

    protected BrowserContext context;
    protected Page page;

    @BeforeAll
    static void launchBrowser() {
        playwright = playwright();
        browser = chromium(playwright);
    }

    /** Playwright without its own browsers: the tests drive Debian's Chromium. */
    public static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Debian's Chromium (/usr/bin/chromium, which .ci/run installs), headless and quiet. */
    public static Browser chromium(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setLocale("zh-CN"));
        page = context.newPage();
    }

    @AfterEach
    void closeContext(TestInfo info) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        String name = info.getTestClass().map(Class::getSimpleName).orElse("test") + "-"
                + info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("page") + ".png";
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name)).setFullPage(true));
        context.close();
    }

    /** Signs in to the console as the test owner (role owner, all stores), created once per test JVM. */
    protected void signIn() {
        signIn(TEST_OWNER, TEST_PASSWORD);
    }

    /** Signs in through the login page and waits until the console has left it. */
    protected void signIn(String username, String password) {
        synchronized (BrowserTest.class) {
            if (consoleUsers.find(TEST_OWNER).isEmpty()) {
                consoleUsers.create(TEST_OWNER, TEST_PASSWORD, Role.OWNER, Set.of());
            }
        }
        page.navigate(url("/login"));
        page.locator("#username").fill(username);
        page.locator("#password").fill(password);
        page.locator("form button[type=submit]").click();
        page.waitForURL(u -> !u.contains("/login"));
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }
}
