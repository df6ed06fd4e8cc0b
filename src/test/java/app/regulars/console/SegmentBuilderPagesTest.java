package app.regulars.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.insights.RuleSource;
import app.regulars.insights.Segments;
import app.regulars.insights.Tags;
import app.regulars.insights.rule.RuleMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class SegmentBuilderPagesTest extends BrowserTest {

    @Autowired Tags tags;
    @Autowired Segments segments;
    @Autowired CustomFields fields;
    @Autowired app.regulars.customers.Customers customers;
    @Autowired JdbcTemplate jdbc;
    @Autowired Users users;
    @Autowired app.regulars.catalog.Catalog catalog;
    @Autowired ObjectMapper json;

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    private static final java.util.concurrent.atomic.AtomicLong PHONES =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() % 90_000_000L);

    private static String phone() {
        return "135" + String.format("%08d", PHONES.incrementAndGet() % 100_000_000L);
    }

    /** Waits until htmx has no request in flight and has swapped and settled its last answer. */
    private void idle() {
        page.waitForFunction("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')");
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")).setFullPage(true));
    }

    @Test
    void aNestedRuleBuiltWithPickersOnlyShowsItsCountAndTextAndIsSaved() {
        String tag = unique("vip");
        tags.create(tag, null, null);
        String name = unique("近期高消费");
        signIn();
        page.navigate(url("/segments/new"));
        page.fill("#segment-name", name);
        Locator text = page.locator("#rule-text");
        assertThat(text).hasValue("days_since_last_purchase > 180");

        // Row 0: a statistic instead of a field, the net spend of the last 90 days.
        page.selectOption("#left-kind-0", "aggregate");
        idle();
        page.selectOption("#function-0", "spent");
        idle();
        assertThat(text).hasValue("spent(90d) > 180");
        page.selectOption("#window-0", "calendar");
        idle();
        page.selectOption("#period-0", "last_month");
        idle();
        assertThat(text).hasValue("spent(last_month) > 180");
        page.click("#add-filter-0");
        idle();
        page.selectOption("#filter-0-0", "coupon");
        idle();
        assertThat(text).hasValue("spent(last_month, coupon = true) > 180");

        // A nested group of "any of": (days since last purchase < 180 or not tag(...)).
        String first = "spent(last_month, coupon = true) > 180";
        page.click("#add-group-root");
        idle();
        assertThat(text).hasValue(first + " and days_since_last_purchase > 180");
        assertThat(page.locator("#join-1")).hasValue("or");
        page.selectOption("#operator-1-0", "<");
        idle();
        assertThat(text).hasValue(first + " and days_since_last_purchase < 180");
        page.click("#add-condition-1");
        idle();
        assertThat(text).hasValue(first + " and (days_since_last_purchase < 180 or days_since_last_purchase > 180)");
        page.selectOption("#kind-1-1", "tag");
        idle();
        assertThat(text).hasValue(first + " and (days_since_last_purchase < 180 or tag(\"\"))");
        page.selectOption("#name-1-1", tag);
        idle();
        assertThat(text).hasValue(first + " and (days_since_last_purchase < 180 or tag(\"" + tag + "\"))");
        page.check("#not-1-1");
        idle();
        String expected = "spent(last_month, coupon = true) > 180 and (days_since_last_purchase < 180 or not tag(\"" + tag + "\"))";
        assertThat(text).hasValue(expected);

        Locator count = page.locator("#preview-count");
        assertThat(count).isVisible();
        assertThat(count.innerText()).matches("[0-9,]+");
        assertThat(page.locator("#rule-errors")).hasCount(0);
        shot("segment-builder");

        page.click("#mode-text");
        assertThat(text).isVisible();
        assertThat(text).hasValue(expected);
        assertThat(page.locator("#builder-pane")).isHidden();
        shot("segment-builder-text");

        page.click("#segment-save");
        page.waitForURL(Pattern.compile(".*/segments$"));
        Locator row = page.locator("tr[data-segment='" + name + "']");
        assertThat(row).isVisible();
        assertThat(row.locator("code.rule-text")).hasText(expected);
        assertThat(page.locator("#segment-saved")).containsText(name);
        // A segment recorded for one day says so (once its first round has written a size); with a past
        // day it draws its trend.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("""
                select count(*) from segment_size z join segment s on s.id = z.segment_id where s.name = ?""",
                Long.class, name) > 0);
        page.reload();
        assertThat(row.locator(".trend-since")).containsText("起记录");
        jdbc.update("""
                insert into segment_size (segment_id, day, members)
                select id, current_date - 3, 7 from segment where name = ? on conflict do nothing""", name);
        page.reload();
        assertThat(row.locator(".spark canvas")).isVisible();
        shot("segments-list");
        assertThat(jdbc.queryForObject("select rule_text from segment where name = ?", String.class, name))
                .isEqualTo(expected);
    }

    @Test
    void lastMonthsSpendIsComparedWithTheThreeMonthsBeforeWithoutTyping() {
        signIn();
        page.navigate(url("/segments/new"));
        page.fill("#segment-name", unique("上月高消费未复购"));
        Locator text = page.locator("#rule-text");
        page.selectOption("#left-kind-0", "aggregate");
        idle();
        page.selectOption("#function-0", "spent");
        idle();
        page.selectOption("#window-0", "calendar");
        idle();
        page.selectOption("#period-0", "last_month");
        idle();
        page.selectOption("#operator-0", "<");
        idle();
        page.selectOption("#right-kind-0", "aggregate");
        idle();
        assertThat(text).hasValue("spent(last_month) < spent(365d)");
        page.selectOption("#right-window-0", "calendar");
        idle();
        page.selectOption("#right-period-0", "prev_3_months");
        idle();
        page.fill("#factor-0", "0.17");
        page.locator("#factor-0").press("Tab");
        idle();
        assertThat(text).hasValue("spent(last_month) < 0.17 * spent(prev_3_months)");
        page.click("#right-add-filter-0");
        idle();
        page.fill("#right-filter-values-0-0", "skincare");
        page.locator("#right-filter-values-0-0").press("Tab");
        idle();
        assertThat(text).hasValue("spent(last_month) < 0.17 * spent(prev_3_months, category = \"skincare\")");
        assertThat(page.locator("#preview-count")).isVisible();
        assertThat(page.locator("#rule-errors")).hasCount(0);
        shot("segment-builder-two-windows");

        // Typed, the same rule comes back as the same two-sided row; back to a number, the right side goes.
        page.click("#mode-text");
        text.fill("spent(last_month) < 0.5 * spent(prev_3_months)");
        idle();
        assertThat(page.locator("#factor-0")).hasValue("0.5");
        assertThat(page.locator("#right-period-0")).hasValue("prev_3_months");
        page.click("#mode-builder");
        page.selectOption("#right-kind-0", "value");
        idle();
        assertThat(text).hasValue("spent(last_month) < 0");
        assertThat(page.locator("#factor-0")).hasCount(0);
    }

    @Test
    void loyaltyFactsArePickedFromTheirOwnGroupAndACouponTemplateFromTheChainsTemplates() {
        String template = unique("满300减50");
        jdbc.update("insert into coupon_template (name, kind, amount_cents, valid_days, face_cents) values (?, 'fixed', 5000, 30, 5000)",
                template);
        signIn();
        page.navigate(url("/segments/new"));
        Locator text = page.locator("#rule-text");
        assertThat(page.locator("#field-0 optgroup[label='会员积分与优惠券'] option[value='points_balance']")).hasCount(1);
        page.selectOption("#field-0", "points_balance");
        idle();
        assertThat(text).hasValue("points_balance > 180");

        page.selectOption("#left-kind-0", "aggregate");
        idle();
        page.selectOption("#function-0", "points_expiring");
        idle();
        assertThat(text).hasValue("points_expiring(90d) > 180");
        assertThat(page.locator("#window-0 option[value='rolling']")).hasText("未来 N 天（含今天）");
        page.selectOption("#function-0", "coupon_redeemed");
        idle();
        page.selectOption("#argument-0", template);
        idle();
        assertThat(text).hasValue("coupon_redeemed(\"" + template + "\", 90d) > 180");
        page.fill("#value-0", "0");
        page.locator("#value-0").press("Tab");
        idle();
        assertThat(text).hasValue("coupon_redeemed(\"" + template + "\", 90d) > 0");
        assertThat(page.locator("#rule-errors")).hasCount(0);
        assertThat(page.locator("#preview-count")).isVisible();
        shot("segment-builder-loyalty");
    }

    @Test
    void theHolidayPickerWritesARuleThatCountsAndEitherSpellingOfACodeReads() {
        signIn();
        page.navigate(url("/segments/new"));
        Locator text = page.locator("#rule-text");
        page.selectOption("#left-kind-0", "aggregate");
        idle();
        page.selectOption("#function-0", "orders");
        idle();
        page.selectOption("#window-0", "around");
        idle();
        assertThat(text).hasValue("orders(around(\"spring-festival\", 7d)) > 180");
        assertThat(page.locator("#rule-errors")).hasCount(0);
        assertThat(page.locator("#preview-count")).isVisible();

        page.selectOption("#holiday-0", "double-11");
        idle();
        assertThat(text).hasValue("orders(around(\"double-11\", 7d)) > 180");
        assertThat(page.locator("#rule-errors")).hasCount(0);
        assertThat(page.locator("#preview-count")).isVisible();
        shot("segment-builder-holiday");

        // The spelling of the docs and of most people: _ for -.
        page.click("#mode-text");
        text.fill("orders(around(\"spring_festival\", 7d)) > 180");
        assertThat(page.locator("#holiday-0")).hasValue("spring-festival");
        idle();
        assertThat(page.locator("#rule-errors")).hasCount(0);
        assertThat(page.locator("#preview-count")).isVisible();
    }

    @Test
    void aTagAddedOnThe360PageFiltersTheCustomerList() {
        String phone = "135" + String.format("%08d", System.nanoTime() % 100_000_000L);
        long id = customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(phone), null, "pos");
        String tag = unique("常客");
        signIn();
        page.navigate(url("/customers/" + id));
        page.fill("#tag-input", tag);
        page.click("#tag-add");
        assertThat(page.locator("#customer-tags [data-tag='" + tag + "']")).isVisible();
        shot("customer-360-tags");

        page.navigate(url("/customers"));
        page.selectOption("#filter-tag", tags.findByName(tag).orElseThrow().id() + "");
        page.waitForURL(Pattern.compile(".*tag=.*"));
        assertThat(page.locator("#filter-total")).containsText("1");
        assertThat(page.locator("table.customers-table tbody tr")).hasCount(1);
        assertThat(page.locator("table.customers-table tbody tr td").first()).hasText(String.valueOf(id));

        page.navigate(url("/customers/" + id));
        page.locator("#customer-tags [data-tag='" + tag + "'] button").click();
        assertThat(page.locator("#customer-tags [data-tag='" + tag + "']")).hasCount(0);
        assertThat(tags.of(id)).isEmpty();
    }

    @Test
    void anAutomaticTagIsBuiltInTheRuleEditorItsRuleChangedLaterAndAManualTagRenamed() {
        String manual = unique("手动");
        long manualId = tags.create(manual, null, null).id();
        String name = unique("自动常客");
        signIn();
        page.navigate(url("/tags"));
        page.click("#tag-builder");
        page.waitForURL(Pattern.compile(".*/tags/new$"));
        assertThat(page.locator("h1")).hasText("新建自动标签");
        page.fill("#segment-name", name);
        page.selectOption("#left-kind-0", "aggregate");
        idle();
        page.selectOption("#function-0", "orders");
        idle();
        Locator text = page.locator("#rule-text");
        assertThat(text).hasValue("orders(90d) > 180");
        page.click("#mode-text");
        text.fill("orders(90d) >= 1");
        idle();
        assertThat(page.locator("#preview-count")).isVisible();
        assertThat(page.locator("#rule-errors")).hasCount(0);
        shot("tag-editor");
        page.click("#segment-save");
        page.waitForURL(Pattern.compile(".*/tags$"));
        assertThat(page.locator("#tag-saved")).containsText(name);
        Locator row = page.locator("tr[data-tag='" + name + "']");
        assertThat(row.locator("td").nth(1)).hasText("自动");
        assertThat(row.locator("code")).hasText("orders(90d) >= 1");

        row.locator("a.tag").click();
        page.waitForURL(Pattern.compile(".*/tags/[0-9]+$"));
        assertThat(page.locator("#rule-text")).hasValue("orders(90d) >= 1");
        assertThat(page.locator("#function-0")).hasValue("orders");
        page.click("#mode-text");
        page.locator("#rule-text").fill("orders(365d) >= 2");
        idle();
        page.click("#segment-save");
        page.waitForURL(Pattern.compile(".*/tags$"));
        assertThat(page.locator("#tag-saved")).hasText("已保存标签“" + name + "”，成员正在重新计算。");
        assertThat(page.locator("tr[data-tag='" + name + "'] code")).hasText("orders(365d) >= 2");
        assertThat(tags.findByName(name).orElseThrow().ruleText()).isEqualTo("orders(365d) >= 2");

        // A manual tag has no rule to edit: its page renames it, and the staff's tagging stays as it was.
        page.navigate(url("/tags/" + manualId));
        assertThat(page.locator("#tag-manual")).isVisible();
        assertThat(page.locator("#builder-pane")).hasCount(0);
        String renamed = manual + "-改";
        page.fill("#segment-name", renamed);
        page.click("#segment-save");
        page.waitForURL(Pattern.compile(".*/tags$"));
        assertThat(page.locator("tr[data-tag='" + renamed + "'] td").nth(1)).hasText("手动");
        assertThat(tags.find(manualId).orElseThrow().ruleText()).isNull();
    }

    @Test
    void aTagFileSavedByExcelInGbkTagsTheCustomersItNamesAndSaysWhichRowsItCouldNot() {
        String phone = phone();
        long byPhone = customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(phone), null, "pos");
        String card = "VIP" + Long.toString(System.nanoTime(), 36).toUpperCase();
        long byCard = customers.resolveOrCreate(app.regulars.customers.Identity.ofCard(card), null, "pos");
        String tag = unique("复购护肤");
        byte[] file = ("手机号,标签\r\n" + phone + "," + tag + "\r\n" + card + "," + tag + "\r\n" + phone + "," + tag
                + "\r\n" + phone() + "," + tag + "\r\n").getBytes(java.nio.charset.Charset.forName("GBK"));
        signIn();
        page.navigate(url("/tags"));
        page.locator("#tag-file").setInputFiles(new com.microsoft.playwright.options.FilePayload("标签.csv", "text/csv", file));
        page.click("#tag-upload");
        page.waitForURL(Pattern.compile(".*/tags$"));
        assertThat(page.locator("#upload-report p")).hasText("读取 4 行：新打标签 2 人，0 人已有该标签。");
        assertThat(page.locator("#upload-report li")).hasText("第 5 行：没有这个手机号的顾客");
        assertThat(page.locator("tr[data-tag='" + tag + "'] td").nth(1)).hasText("手动");
        assertThat(tags.of(byPhone)).extracting(Tags.OnCustomer::name).containsExactly(tag);
        assertThat(tags.of(byCard)).extracting(Tags.OnCustomer::name).containsExactly(tag);

        // The same file again changes nothing and says so.
        page.locator("#tag-file").setInputFiles(new com.microsoft.playwright.options.FilePayload("标签.csv", "text/csv", file));
        page.click("#tag-upload");
        page.waitForURL(Pattern.compile(".*/tags$"));
        assertThat(page.locator("#upload-report p")).hasText("读取 4 行：新打标签 0 人，2 人已有该标签。");

        // A file that is no text at all (a spreadsheet saved as .xlsx, say) is refused whole, naming why.
        page.locator("#tag-file").setInputFiles(new com.microsoft.playwright.options.FilePayload("标签.csv", "text/csv",
                new byte[] {0x50, 0x4B, 0x03, 0x04, 0, 0, (byte) 0xFF, (byte) 0xFE}));
        page.click("#tag-upload");
        page.waitForURL(Pattern.compile(".*/tags$"));
        assertThat(page.locator("#tag-error")).containsText("无法读取这个 CSV 文件");
        assertThat(page.locator("#upload-report")).hasCount(0);
        assertThat(tags.of(byPhone)).extracting(Tags.OnCustomer::name).containsExactly(tag);
    }

    @Test
    void aStoreClerkLooksAtSegmentsAndTagsButNeitherSeesNorSendsTheFormsThatChangeThem() throws Exception {
        String tag = unique("clerk-view");
        tags.create(tag, null, null);
        long ours = StoreFixtures.create(catalog, unique("OURS")).id();
        long theirs = StoreFixtures.create(catalog, unique("THEIRS")).id();
        for (long store : List.of(ours, theirs, theirs)) { // one tagged customer of the clerk's store, two of another
            long customer = json.readTree(apiPost("/api/v1/customers", java.util.Map.of("phone", phone(),
                    "registrationStoreId", store, "homeStoreId", store)).getBody()).get("id").asLong();
            tags.add(customer, tag);
        }
        long segment = segments.create(unique("店员可见"), null, RuleSource.ofText("tag(\"" + tag + "\")")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> segments.find(segment).orElseThrow().members() == 3);
        String clerk = unique("clerk");
        users.create(clerk, "long-enough-pw", Role.CLERK, Set.of(ours));
        signIn(clerk, "long-enough-pw");

        page.navigate(url("/segments"));
        assertThat(page.locator("#segments")).isVisible();
        Locator row = page.locator("#segments tr", new Page.LocatorOptions().setHasText(tag));
        assertThat(row.locator("td.num").first()).hasText("3");
        assertThat(row.locator("[data-ours]")).hasText("1");
        page.navigate(url("/tags"));
        assertThat(page.locator("tr[data-tag='" + tag + "'] [data-ours]")).hasText("1");
        page.navigate(url("/segments"));
        assertThat(page.locator("#new-segment")).hasCount(0);
        assertThat(page.locator("#segments form[action$='/delete']")).hasCount(0);
        assertThat(page.locator("#segments-read-only")).containsText("只有店主和总部可以新建、修改或删除人群");
        assertThat(page.locator("#segments-read-only")).containsText("成员名单和导出只含您门店的顾客");
        shot("segments-clerk");
        page.navigate(url("/segments?lang=en"));
        assertThat(page.locator("#segments-read-only"))
                .containsText("Only the owner and HQ create, change or delete segments");
        assertThat(page.locator("#segments-read-only")).containsText("show only customers of your stores");
        page.navigate(url("/segments?lang=zh-CN"));

        page.navigate(url("/segments/" + segment));
        assertThat(page.locator("#rule-text")).hasValue("tag(\"" + tag + "\")");
        assertThat(page.locator("#segment-save")).hasCount(0);
        assertThat(page.locator("#segment-read-only")).isVisible();

        page.navigate(url("/tags/" + tags.findByName(tag).orElseThrow().id()));
        assertThat(page.locator("#segment-save")).hasCount(0);
        assertThat(page.locator("#tag-read-only")).isVisible(); // a manual tag: no rule pane at all
        page.navigate(url("/tags"));
        assertThat(page.locator("#tag-form")).hasCount(0);
        assertThat(page.locator("#tag-upload-form")).hasCount(0);
        assertThat(page.locator("#tags-read-only")).containsText("您可以在顾客页面为您门店的顾客打标签");

        // Sent anyway, with the session's CSRF token, each change is refused and nothing changes.
        for (String post : List.of("/segments/" + segment + "/delete", "/segments/save?name=x&text=orders()%3E1&mode=text",
                "/tags?name=" + unique("x"), "/tags/save?name=x&text=orders()%3E1&mode=text")) {
            Object status = page.evaluate("path => fetch(path, {method: 'POST', headers: {[document.querySelector("
                    + "'meta[name=_csrf_header]').content]: document.querySelector('meta[name=_csrf]').content}})"
                    + ".then(r => r.status)", post);
            assertThat(status).as(post).isEqualTo(403);
        }
        assertThat(segments.find(segment)).isPresent();
    }

    @Test
    void typedTextUpdatesTheBuilderAndAMistakeIsShownAtItsPosition() {
        customers.resolveOrCreate(app.regulars.customers.Identity.ofPhone(phone()), null, "pos"); // someone to match
        signIn();
        page.navigate(url("/segments/new?lang=en"));
        page.click("#mode-text");
        Locator text = page.locator("#rule-text");
        text.fill("orders(90d) > 3 and city in (\"上海\", \"杭州\")");
        assertThat(page.locator("#value-1")).hasValue("上海, 杭州");
        assertThat(page.locator("#operator-1")).hasValue("in");
        assertThat(page.locator("#function-0")).hasValue("orders");

        text.fill("orders(90) > 3");
        Locator errors = page.locator("#rule-errors");
        assertThat(errors).containsText("line 1, column 8:");
        assertThat(errors).containsText("found '90' (days are written with a d: 90d)");
        shot("segment-builder-error");
        // The builder still shows the last rule that read.
        assertThat(page.locator("#value-1")).hasValue("上海, 杭州");

        text.fill("vip_levl = \"A\"");
        assertThat(errors).containsText("unknown field `vip_levl`");

        // A rule that matches everyone or no one is allowed; the preview says so, and shows who matches.
        text.fill("orders() >= 0");
        assertThat(page.locator("#preview-warning")).hasText("This rule matches every customer.");
        assertThat(page.locator("#preview ul.sample li").first()).isVisible();
        text.fill("orders() > 1000000");
        assertThat(page.locator("#preview-warning")).hasText("This rule matches no one.");
        assertThat(page.locator("#preview-count")).hasText("0");
        assertThat(page.locator("#preview ul.sample")).hasCount(0);
    }

    @Test
    void aBadRuleIsExplainedInChineseWithItsLineAndColumnAndInEnglishAfterTheSwitch() {
        String bad = "spent(90d) > 5000 and\norders(90d) foo";
        signIn();
        page.navigate(url("/segments/new"));
        page.click("#mode-text");
        Locator text = page.locator("#rule-text");
        Locator errors = page.locator("#rule-errors");
        text.fill(bad);
        // No space after the full-width colon.
        assertThat(errors).containsText("第 2 行第 13 列：应为比较符（=、!=、<、<=、>、>=、in 或 within），却是 “foo”");
        idle();
        shot("segment-builder-error-zh");

        // A rule that reads but names what does not exist, refused when saved, is said in Chinese too.
        page.fill("#segment-name", unique("错字"));
        text.fill("vip_levl = \"A\"");
        assertThat(errors).containsText("没有 vip_levl 这个字段");
        page.click("#segment-save");
        assertThat(page.locator("#save-errors")).containsText("第 1 行第 1 列：没有 vip_levl 这个字段");

        page.navigate(url("/segments/new?lang=en"));
        page.click("#mode-text");
        page.locator("#rule-text").fill(bad);
        assertThat(errors).containsText("line 2, column 13: expected a comparison (=, !=, <, <=, >, >=, in or within),"
                + " found 'foo'");
    }

    @Test
    void aTagWithABadRuleIsRefusedInTheReadersLanguage() {
        signIn();
        page.navigate(url("/tags"));
        page.fill("#tag-name", unique("复购"));
        page.fill("#tag-rule", "orders(90) >= 2");
        page.click("#tag-create");
        assertThat(page.locator("#tag-error"))
                .hasText("第 1 行第 8 列：应为时间范围（如 90d、last_month）或筛选条件（如 store = \"SH-01\"），却是 “90”（天数要带 d，写成 90d）");

        page.navigate(url("/tags?lang=en"));
        page.fill("#tag-name", unique("repeat"));
        page.fill("#tag-rule", "orders(90) >= 2");
        page.click("#tag-create");
        assertThat(page.locator("#tag-error")).hasText("line 1, column 8: expected a window such as 90d or last_month,"
                + " or a filter such as store = \"SH-01\", found '90' (days are written with a d: 90d)");
    }

    @Test
    void aRuleWhoseCustomFieldWasDeletedIsExplainedInChineseOnItsPageAndInTheListsAndInEnglishAfterTheSwitch() {
        String key = "lvl_" + Long.toString(System.nanoTime(), 36);
        fields.define(new CustomField(key, "等级", "Level", CustomField.Type.choice, List.of("A", "B"), false, true));
        String segment = unique("等级A");
        long id = segments.create(segment, null, RuleSource.ofText(key + " = \"A\"")).id();
        String tag = unique("等级A");
        tags.create(tag, null, RuleSource.ofText("orders() > 1 and " + key + " = \"A\""));
        fields.deactivate(key);
        Locator banner = page.locator("#segment-problem");
        Locator inList = page.locator("tr[data-segment='" + segment + "'] div.error");
        Locator inTags = page.locator("tr[data-tag='" + tag + "'] div.error");

        signIn();
        page.navigate(url("/segments/" + id));
        assertThat(banner).hasText("该规则目前无法计算：第 1 行第 1 列：自定义字段 " + key + " 已被删除，请修改或删除这个条件");
        page.navigate(url("/segments"));
        assertThat(inList).hasText("第 1 行第 1 列：自定义字段 " + key + " 已被删除，请修改或删除这个条件");
        inList.scrollIntoViewIfNeeded();
        shot("segments-list-problem-zh");
        page.navigate(url("/tags"));
        assertThat(inTags).hasText("第 1 行第 18 列：自定义字段 " + key + " 已被删除，请修改或删除这个条件");

        String english = "custom field `" + key + "` was deleted; change or remove this condition";
        page.navigate(url("/segments/" + id + "?lang=en"));
        assertThat(banner).hasText("This rule cannot be evaluated now: line 1, column 1: " + english);
        page.navigate(url("/segments"));
        assertThat(inList).hasText("line 1, column 1: " + english);
        page.navigate(url("/tags"));
        assertThat(inTags).hasText("line 1, column 18: " + english);
    }

    @Test
    void whatOnlyTheEngineFoundIsExplainedInChineseOnTheSegmentPageAndInTheListsAndInEnglishAfterTheSwitch()
            throws Exception {
        Unevaluated u = recordedAsARoundRecordsIt();
        Locator banner = page.locator("#segment-problem");
        Locator inList = page.locator("tr[data-segment='" + u.segment() + "'] div.error");
        Locator inTags = page.locator("tr[data-tag='" + u.tag() + "'] div.error");

        signIn();
        showRecorded(u, "/segments/" + u.id());
        assertThat(banner).hasText("该规则目前无法计算：没有 " + u.key() + " 这个字段");
        assertThat(page.locator("main h1")).hasText(u.segment());
        assertThat(page.locator("#preview-count")).isVisible(); // the rule itself is fine
        shot("segment-evaluation-problem-zh");
        showRecorded(u, "/segments");
        assertThat(inList).hasText("没有 " + u.key() + " 这个字段");
        showRecorded(u, "/tags");
        assertThat(inTags).hasText("没有 " + u.key() + " 这个字段");

        String english = "no field named \"" + u.key() + "\"";
        showRecorded(u, "/segments/" + u.id() + "?lang=en");
        assertThat(banner).hasText("This rule cannot be evaluated now: " + english);
        showRecorded(u, "/segments");
        assertThat(inList).hasText(english);
        showRecorded(u, "/tags");
        assertThat(inTags).hasText(english);
        // The API says what it said before the problem had a code.
        recordNoField("segment", u.id(), u.key());
        assertThat(json.readTree(apiGet("/api/v1/segments/" + u.id()).getBody()).get("problem").asText())
                .isEqualTo(english);
    }

    @Test
    void aTagDeletedMeanwhileIsSaidToBeGoneInTheReadersLanguageWhenDeletedAgain() {
        String tag = unique("旧标签");
        long id = tags.create(tag, null, null).id();
        signIn();
        page.navigate(url("/tags"));
        tags.delete(id); // in another tab
        page.locator("tr[data-tag='" + tag + "'] form[action$='/delete'] button").click();
        assertThat(page.locator("#tag-error")).hasText("它已不存在（可能刚被删除），请刷新页面。");
    }

    /** A segment and an automatic tag whose last evaluation found a problem the check does not. */
    private record Unevaluated(String key, long id, String segment, long tagId, String tag) {}

    /**
     * A segment and an automatic tag on a field that exists, whose last evaluation recorded that the engine
     * found no field of that name, as a round records what only the engine sees: the English for the API
     * and the coded message. The record is written as the round writes it (see {@link #showRecorded}),
     * because the engine now reads a custom field it lacks at once, and nothing else makes it miss one in the
     * shared database. A real round records a problem in {@code insights.RoundProblemsTest}, on a chain of its own.
     */
    private Unevaluated recordedAsARoundRecordsIt() {
        String key = "lvl_" + Long.toString(System.nanoTime(), 36);
        fields.define(new CustomField(key, "等级", "Level", CustomField.Type.choice, List.of("A", "B"), false, true));
        String segment = unique("等级A");
        long id = segments.create(segment, null, RuleSource.ofText(key + " = \"A\"")).id();
        String tag = unique("等级A");
        long tagId = tags.create(tag, null, RuleSource.ofText("orders() > 1 and " + key + " = \"A\"")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> evaluated("segment", id) && evaluated("tag", tagId));
        return new Unevaluated(key, id, segment, tagId, tag);
    }

    /**
     * Records the problem again, then opens the page: any round (they follow every purchase anywhere in
     * the app) finds the rule fine and clears the record, so it is written just before each page reads it.
     */
    private void showRecorded(Unevaluated u, String path) {
        recordNoField("segment", u.id(), u.key());
        recordNoField("tag", u.tagId(), u.key());
        page.navigate(url(path));
    }

    private void recordNoField(String table, long id, String key) {
        jdbc.update("update " + table + " set problem = ?, problem_message = ?::jsonb where id = ?",
                "no field named \"" + key + "\"",
                "{\"code\": \"" + RuleMessage.Code.NO_FIELD.key() + "\", \"args\": [\"" + key + "\"]}", id);
    }

    private boolean evaluated(String table, long id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select problem is not null or computed_at is not null from "
                + table + " where id = ?", Boolean.class, id));
    }
}
