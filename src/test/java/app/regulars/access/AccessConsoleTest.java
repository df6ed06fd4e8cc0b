package app.regulars.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

class AccessConsoleTest extends BrowserTest {

    @Autowired
    Users users;

    @Test
    void theOwnerSignsInAndMustChangeTheOneTimePassword() {
        String owner = "owner-" + suffix();
        users.create(owner, "Owner", "one-time-pw-123", Role.OWNER, Set.of(), true);

        signIn(owner, "one-time-pw-123");

        assertThat(page).hasURL(url("/account/password"));
        assertThat(page.locator(".notice")).containsText("一次性密码");
        page.navigate(url("/settings/api-keys"));
        assertThat(page).hasURL(url("/account/password"));

        page.locator("#current").fill("one-time-pw-123");
        page.locator("#next").fill("one-time-pw-123");
        page.locator("#confirm").fill("one-time-pw-123");
        page.locator("main form button[type=submit]").click();
        assertThat(page.locator("main .error")).containsText("不能与当前密码相同");
        shot("password-refused");

        page.locator("#current").fill("one-time-pw-123");
        page.locator("#next").fill("my-own-password-42");
        page.locator("#confirm").fill("my-own-password-42");
        page.locator("main form button[type=submit]").click();

        assertThat(page).hasURL(url("/"));
        assertThat(page.locator("main")).containsText("密码已修改");
        shot("overview");
        page.navigate(url("/settings/api-keys"));
        assertThat(page).hasURL(url("/settings/api-keys"));
        assertThat(page.locator("h1")).hasText("设置");
    }

    @Test
    void signedOutUsersAreSentToTheLogin() {
        page.navigate(url("/settings/users"));

        assertThat(page).hasURL(url("/login"));
        assertThat(page.locator("button[type=submit]")).hasText("登录");
        shot("login");

        page.locator("#username").fill("nobody-" + suffix());
        page.locator("#password").fill("not-a-password");
        page.locator("button[type=submit]").click();
        assertThat(page.locator(".error")).containsText("用户名或密码错误");

        signIn();
        page.navigate(url("/settings/users"));
        assertThat(page.locator("table")).containsText(TEST_OWNER);

        page.locator("form[action$='/logout'] button").click();
        assertThat(page).hasURL(url("/login?logout"));
        page.navigate(url("/"));
        assertThat(page).hasURL(url("/login"));
    }

    @Test
    void anApiKeyIsShownOnceAndCanBeRevoked() {
        signIn();
        page.navigate(url("/settings/api-keys"));
        String name = "till-" + suffix();

        page.locator("input[name=name]").fill(name);
        page.locator("input[name=stores]").fill("3, 8");
        page.locator("main form button[type=submit]").click();

        String key = page.locator("#issued-key").inputValue();
        assertThat(key).startsWith("rk_").hasSize(46);
        assertThat(callWith(key)).isEqualTo(HttpStatus.OK);
        shot("issued");

        page.navigate(url("/settings/api-keys"));
        assertThat(page.content()).doesNotContain(key);
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText(name));
        assertThat(row).containsText(key.substring(0, 11));
        assertThat(row).containsText("#3");

        page.onDialog(dialog -> dialog.accept());
        row.locator("button").click();

        assertThat(row).containsText("已于");
        assertThat(row.locator("button")).hasCount(0);
        assertThat(callWith(key)).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void onlyTheOwnerOpensTheSettings() {
        String clerk = "clerk-" + suffix();
        users.create(clerk, "long-enough-pw", Role.CLERK, Set.of(1L));

        signIn(clerk, "long-enough-pw");
        var response = page.navigate(url("/settings/api-keys"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(page.locator("h1")).hasText("无权访问");
    }

    @Test
    void aSignedInPageMayCallTheApiButOnlyWritesWithItsCsrfToken() {
        signIn();
        page.navigate(url("/"));

        Object caller = page.evaluate("() => fetch('/api/v1/caller').then(r => r.json()).then(j => j.name)");
        Object withoutToken = page.evaluate("() => fetch('/api/v1/caller', {method: 'POST'}).then(r => r.status)");
        Object withToken = page.evaluate("""
                () => fetch('/api/v1/caller', {method: 'POST', headers: {
                    [document.querySelector('meta[name=_csrf_header]').content]:
                        document.querySelector('meta[name=_csrf]').content}}).then(r => r.status)""");

        assertThat(caller).isEqualTo(TEST_OWNER);
        assertThat(withoutToken).isEqualTo(403);
        assertThat(withToken).isEqualTo(405); // past security; the endpoint only answers GET
    }

    @Test
    void theUsersPageCreatesAStoreScopedUser() {
        signIn();
        page.navigate(url("/settings/users?lang=en"));
        String clerk = "clerk-" + suffix();

        page.locator("#username").fill(clerk);
        page.locator("#displayName").fill("Front desk");
        page.locator("#password").fill("initial-pw-123");
        page.locator("#role").selectOption("CLERK");
        page.locator("#stores").fill("2,4");
        page.locator("main form button[type=submit]").click();

        assertThat(page.locator("[role=status]")).containsText(clerk);
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText(clerk));
        assertThat(row).containsText("Clerk");
        assertThat(row).containsText("#2");
        assertThat(row).containsText("Must change password");
        page.navigate(url("/settings/users?lang=zh-CN"));
    }

    private HttpStatus callWith(String key) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        return HttpStatus.valueOf(rest.exchange("/api/v1/caller", HttpMethod.GET, new HttpEntity<>(headers), String.class)
                .getStatusCode().value());
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(Path.of("target", "screenshots", "AccessConsoleTest-" + name + ".png")));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
