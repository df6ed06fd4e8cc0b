package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.customers.ConsentChange;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.customers.ProfileChange;
import app.regulars.customers.Registration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CustomersPagesTest extends BrowserTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired CustomerProfiles profiles;
    @Autowired CustomFields fields;
    @Autowired Customers customers;
    @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static String freshPhone() {
        return "137" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    @Test
    void searchByPhoneOpensTheCustomer360() {
        String key = "skin_" + Long.toString(System.nanoTime(), 36);
        fields.define(new CustomField(key, "肤质", "Skin type", CustomField.Type.choice, List.of("干性", "油性", "混合"), false, true));
        try {
            String phone = freshPhone();
            long id = profiles.register(new Registration(Identity.ofPhone(phone), null, "pos",
                    new ProfileChange("林晓雨", null, null, "女", "1992-05-20", null, "华东", "杭州", null, null, null,
                            Map.of(key, "油性")),
                    List.of(new ConsentChange("sms", "marketing", true, Instant.parse("2025-04-01T02:00:00Z"), "pos", "v2", null),
                            new ConsentChange("wechat", "service", false, Instant.parse("2025-04-02T02:00:00Z"), "miniapp", "v2", null))))
                    .profile().id();
            signIn();
            page.navigate(url("/customers"));
            assertThat(page.title()).isEqualTo("顾客 · 回头客");
            page.fill("#customer-search", "+86 " + phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7));
            page.press("#customer-search", "Enter");
            page.waitForURL(Pattern.compile(".*/customers/" + id + "$"));

            String masked = phone.substring(0, 3) + "****" + phone.substring(7);
            assertThat(page.locator("#phone").innerText()).isEqualTo(masked);
            assertThat(page.content()).doesNotContain(phone);
            assertThat(page.locator("h1").innerText()).contains("林晓雨");
            assertThat(page.title()).isEqualTo("林晓雨 · 回头客"); // a tab among many says whose 360 it is
            assertThat(page.locator("#custom").innerText()).contains("肤质");
            assertThat(page.locator("select[name='custom." + key + "']").inputValue()).isEqualTo("油性");
            assertThat(page.locator("[data-consent='sms/marketing']").innerText()).contains("已同意").contains("pos");
            assertThat(page.locator("[data-consent='wechat/service']").innerText()).contains("已拒绝");
            assertThat(page.locator("[data-consent='email/marketing']").innerText()).contains("未询问");
            assertThat(page.locator("#identities").innerText()).contains(masked);
            assertThat(page.locator("#stats").count()).isEqualTo(1);
            assertThat(page.locator("#timeline").count()).isEqualTo(1);

            page.selectOption("#consent-channel", "email");
            page.selectOption("#consent-purpose", "marketing");
            page.selectOption("#consent-granted", "true");
            page.fill("#consent-evidence", "纸质表单 0042");
            page.fill("#consent-notice", "v3");
            page.click("#consent-record");
            page.waitForURL(Pattern.compile(".*/customers/" + id + "#consent$"));
            assertThat(page.locator("[data-consent='email/marketing']").innerText()).contains("已同意").contains("console");
            // Every answer, with the notice it was given under and its evidence, newest first.
            page.click(".consent-history summary");
            assertThat(page.locator(".consent-history summary").innerText()).contains("3 条");
            assertThat(page.locator(".consent-history tbody tr").first().innerText())
                    .contains("邮件 · 营销").contains("console").contains("v3").contains("纸质表单 0042");
            assertThat(page.locator(".consent-history tbody").innerText()).contains("miniapp").contains("v2");

            page.click("#reveal-phone");
            page.locator(".revealed").waitFor();
            assertThat(page.locator("#phone").innerText()).contains(phone);
            assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'customer.pii.revealed'"
                    + " and subject_type = 'customer' and subject_id = ?", Long.class, String.valueOf(id))).isEqualTo(1);
            assertThat(jdbc.queryForObject("select string_agg(detail::text, '') from audit_log where subject_id = ?",
                    String.class, String.valueOf(id))).doesNotContain(phone);
        } finally {
            fields.deactivate(key);
        }
    }

    @Test
    void aNewCustomFieldAppearsOnThe360PageWithoutRestart() {
        String key = "shoe_" + Long.toString(System.nanoTime(), 36);
        long id = profiles.register(new Registration(Identity.ofPhone(freshPhone()), null, "pos",
                new ProfileChange("周明", null, null, "男", null, null, null, "南京", null, null, null, null), List.of()))
                .profile().id();
        try {
            signIn();
            page.navigate(url("/customers/" + id));
            assertThat(page.locator("#custom").innerText()).doesNotContain("鞋码");

            page.navigate(url("/custom-fields"));
            page.fill("#cf-key", key);
            page.fill("#cf-label-zh", "鞋码");
            page.fill("#cf-label-en", "Shoe size");
            page.selectOption("#cf-type", "number");
            page.click("#cf-define");
            page.locator("tr[data-key='" + key + "']").waitFor();
            shot("custom-fields");

            page.navigate(url("/customers/" + id));
            assertThat(page.locator("#custom").innerText()).contains("鞋码");
            page.fill("input[name='custom." + key + "']", "四十二");
            page.click("#custom button[type=submit]");
            assertThat(page.locator("#custom .error").first().innerText()).isNotBlank();
            assertThat(profiles.profile(id).orElseThrow().custom()).doesNotContainKey(key);

            page.fill("input[name='custom." + key + "']", "42");
            page.click("#custom button[type=submit]");
            page.locator("#custom .ok").waitFor();
            assertThat(page.locator("input[name='custom." + key + "']").inputValue()).isEqualTo("42");
            assertThat(profiles.profile(id).orElseThrow().custom()).containsEntry(key, new java.math.BigDecimal("42"));
        } finally {
            fields.deactivate(key);
        }
    }

    @Test
    void duplicatesAreMergedFromTheirPageAfterConfirmation() {
        String phone = freshPhone();
        String card = "C" + Long.toString(System.nanoTime(), 36).toUpperCase();
        long byCard = customers.resolveOrCreate(Identity.ofCard(card), null, "pos");
        profiles.update(byCard, new ProfileChange("陈静", null, null, null, null, null, null, "成都", null, null, null, null));
        long byPhone = customers.resolveOrCreate(Identity.ofPhone(phone), null, "miniapp");
        customers.resolveOrCreate(new Identity(phone, card, null, null, null, null), null, "pos");

        signIn();
        page.navigate(url("/customers?q=" + card.toLowerCase()));
        // Both hold the card (one as identity, one on its profile): the search shows the pair.
        assertThat(page.locator("table.customers-table tbody tr").count()).isEqualTo(2);
        page.navigate(url("/customers/duplicates"));
        shot("duplicates");
        page.onDialog(dialog -> dialog.accept());
        page.locator("form:has(input[name=mergedId][value='" + byPhone + "']) button").click();
        page.waitForURL(Pattern.compile(".*/customers/" + byCard + "$"));
        assertThat(page.locator("main").innerText()).contains("已合并");
        assertThat(page.locator("#identities").innerText()).contains(card).contains(phone.substring(7));
        assertThat(customers.find(Identity.ofPhone(phone))).contains(byCard);

        page.navigate(url("/customers?q=" + card + "&lang=en"));
        assertThat(page.url()).endsWith("/customers/" + byCard);
        assertThat(page.locator("#profile").innerText()).contains("Dedicated advisor").contains("成都");
    }

    /** The custom fields page, the 360 custom form and its tag card say what is wrong in the user's language. */
    @Test
    void refusalsOnCustomerFormsReadInChineseOrInEnglish() {
        String key = "size_" + Long.toString(System.nanoTime(), 36);
        fields.define(new CustomField(key, "尺码", "Size", CustomField.Type.number, List.of(), false, true));
        long id = profiles.register(new Registration(Identity.ofPhone(freshPhone()), null, "pos",
                new ProfileChange("吴敏", null, null, "女", null, null, null, "苏州", null, null, null, null), List.of()))
                .profile().id();
        try {
            signIn();
            assertThat(refusedChoiceField()).isEqualTo("单选字段至少要有一个选项");
            shot("custom-fields-refused");
            assertThat(refusedCustomValue(id, key)).isEqualTo("不是数字");
            shot("customer-form-refused");
            assertThat(refusedTag(id)).startsWith("不能包含");

            page.navigate(url("/customers?lang=en"));
            assertThat(refusedChoiceField()).isEqualTo("a choice field needs at least one choice");
            assertThat(refusedCustomValue(id, key)).isEqualTo("not a number");
            assertThat(refusedTag(id)).startsWith("must not contain");
        } finally {
            fields.deactivate(key);
        }
    }

    /** A customer that does not exist: the console's own page, not Spring Boot's English "Whitelabel" one. */
    @Test
    void anUnknownCustomerIsAPageNotFoundInChineseOrInEnglish() {
        signIn();
        page.navigate(url("/customers/987654321"));
        assertThat(page.locator("h1").innerText()).isEqualTo("页面不存在");
        shot("not-found");
        page.navigate(url("/customers/987654321?lang=en"));
        assertThat(page.locator("h1").innerText()).isEqualTo("Page not found");
    }

    /** Defines a choice field without choices; answers what the page says about the choices. */
    private String refusedChoiceField() {
        page.navigate(url("/custom-fields"));
        page.fill("#cf-key", "hair_" + Long.toString(System.nanoTime(), 36));
        page.fill("#cf-label-zh", "发质");
        page.selectOption("#cf-type", "choice");
        page.click("#cf-define");
        return page.locator("label:has(#cf-choices) .error").innerText();
    }

    private String refusedCustomValue(long id, String key) {
        page.navigate(url("/customers/" + id));
        page.fill("input[name='custom." + key + "']", "四十二");
        page.click("#custom button[type=submit]");
        return page.locator(".custom-row:has(input[name='custom." + key + "']) .error").innerText();
    }

    private String refusedTag(long id) {
        page.navigate(url("/customers/" + id));
        page.fill("#tag-input", "a\"b");
        page.click("#tag-add");
        return page.locator("#tags .tag-add .error").innerText();
    }

    /** A screenshot of an intermediate page, next to the one BrowserTest takes at the end. */
    private void shot(String name) {
        page.screenshot(new com.microsoft.playwright.Page.ScreenshotOptions()
                .setPath(java.nio.file.Path.of("target", "screenshots", "CustomersPagesTest-" + name + ".png"))
                .setFullPage(true));
    }
}
