package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.Page;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CouponsConsoleTest extends BrowserTest {

    @Autowired Customers customers;
    @Autowired Catalog catalog;
    @Autowired Coupons coupons;
    @Autowired Draws draws;
    @Autowired CouponTemplates templates;
    @Autowired Segments segments;
    @Autowired com.fasterxml.jackson.databind.ObjectMapper json;

    @Test
    void aTemplateCreatedInTheConsoleAndIssuedToACustomerShowsOnTheCustomer360() {
        String phone = CouponFixtures.phone();
        long customer = customers.resolveOrCreate(Identity.ofPhone(phone), null, null);
        String name = unique("满减券");
        signIn();

        page.navigate(url("/coupons"));
        page.locator("#new-template").click();
        page.locator("#name").fill(name);
        page.locator("#kind").selectOption("threshold");
        page.locator("#tiers").fill("200:20, 500:80");
        page.locator("#validDays").fill("15");
        page.locator("#perCustomerLimit").fill("2");
        page.locator("#save-template").click();
        assertThat(page.locator("h1")).containsText(name);

        page.locator("#issue-customer").fill(phone);
        page.locator("#issue-one").click();
        assertThat(page.locator("#issued-code")).isVisible();
        assertThat(page.locator("#stat-issued")).hasText("1");
        shot("template");

        page.navigate(url("/customers/" + customer));
        assertThat(page.locator("#customer-coupons")).containsText(name);
        String code = coupons.ofCustomer(customer).getFirst().code();
        assertThat(page.locator("#customer-coupons")).containsText(code);

        // Manual issue from the 360 page itself.
        page.locator("#issue-template").selectOption(String.valueOf(coupons.ofCustomer(customer).getFirst().templateId()));
        page.locator("#issue-coupon").click();
        assertThat(page.locator("#customer-coupons tbody tr")).hasCount(2);
        assertThat(coupons.ofCustomer(customer)).hasSize(2);
        shot("customer-360");
        page.navigate(url("/coupons"));
        shot("templates");
        page.navigate(url("/customers/" + customer));

        page.locator("#customer-coupons").getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions()
                .setName(code).setExact(true)).click();
        assertThat(page.locator("#coupon-code")).hasText(code);
        assertThat(page.locator("#qr svg")).isVisible();
    }

    @Test
    void issuingToASegmentFromTheTemplatePageShowsWhatWentOutWhatWasSkippedAndASecondSendIssuesNothing()
            throws Exception {
        String tag = unique("双11目标");
        List<Long> members = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long customer = CouponFixtures.customer(customers);
            assertThat(apiPost("/api/v1/customers/" + customer + "/tags", java.util.Map.of("tag", tag))
                    .getStatusCode().value()).isEqualTo(201);
            members.add(customer);
        }
        org.springframework.http.ResponseEntity<String> created = apiPost("/api/v1/segments",
                java.util.Map.of("name", unique("双11人群"), "text", "tag(\"" + tag + "\")"));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        Segment segment = segments.find(json.readTree(created.getBody()).path("id").asLong()).orElseThrow();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> segments.memberIds(segment.id()).size() == 3);
        CouponFixtures.Spec spec = CouponFixtures.Spec.fixed(20_00).quantity(2);
        spec.name = unique("人群券");
        CouponTemplate template = spec.create(templates);
        signIn();

        page.navigate(url("/coupons/templates/" + template.id()));
        page.locator("#issue-segment").selectOption(String.valueOf(segment.id()));
        page.locator("#segment-preview").click();
        assertThat(page.locator("#segment-plan")).containsText("现有 3 人，将发放 2 张");
        assertThat(page.locator("#segment-plan [data-reason=QUANTITY_CAP]")).hasText("发放总量已满: 1");
        assertThat(page.locator("#segment-left")).containsText("剩余数量 2 张");
        shot("segment-plan");
        String action = page.locator("#segment-plan form").getAttribute("action");
        FormData sameForm = FormData.create();
        for (Locator hidden : page.locator("#segment-plan form input[type=hidden]").all()) {
            sameForm.set(hidden.getAttribute("name"), hidden.getAttribute("value"));
        }

        page.locator("#segment-confirm").click();
        assertThat(page.locator("#segment-summary")).containsText("已向人群「" + segment.name() + "」发放 2 张");
        assertThat(page.locator("#segment-summary [data-reason=QUANTITY_CAP]")).hasText("发放总量已满: 1");
        assertThat(page.locator("#stat-issued")).hasText("2");
        shot("segment-summary");

        // The same form sent again (a double click, a resent page): nothing is issued twice.
        APIResponse again = page.request().post(url(action), RequestOptions.create().setForm(sameForm));
        assertThat(again.text()).contains("已向人群「" + segment.name() + "」发放 0 张").contains("此前已用本页发过 2 位");
        page.navigate(url("/coupons/templates/" + template.id()));
        assertThat(page.locator("#stat-issued")).hasText("2");

        // A fresh page plans afresh: the quantity is used up, so nothing would go out and there is nothing to confirm.
        page.navigate(url("/coupons/templates/" + template.id() + "?lang=en&segment=" + segment.id()));
        assertThat(page.locator("#segment-plan")).containsText("has 3 members now: 0 coupons would go out");
        assertThat(page.locator("#segment-plan [data-reason=QUANTITY_CAP]")).hasText("Total quantity reached: 3");
        assertThat(page.locator("#segment-confirm")).hasCount(0);
        shot("segment-plan-en");
        assertThat(members.stream().mapToLong(c -> coupons.ofCustomer(c).size()).sum()).isEqualTo(2);
    }

    /** The list says a template's terms, and the form what is wrong with it, in the user's language. */
    @Test
    void termsAndRefusalsReadInChineseOrInEnglish() {
        CouponFixtures.Spec spec = CouponFixtures.Spec.percent(15, 50_00L);
        spec.name = unique("八五折券");
        CouponTemplate template = spec.create(templates);
        signIn();
        assertThat(termsAndRefusal(template, "zh")).containsExactly("8.5折，最高减¥50",
                "请按“满:减”填写（元），如 200:20, 500:80");
        page.navigate(url("/coupons?lang=en"));
        assertThat(termsAndRefusal(template, "en")).containsExactly("15% off, at most ¥50",
                "write threshold:discount in yuan, e.g. 200:20, 500:80");
    }

    /** The template's terms on the list, and what the form says about tiers written in words. */
    private List<String> termsAndRefusal(CouponTemplate template, String language) {
        page.navigate(url("/coupons"));
        String terms = page.locator("tr[data-template='" + template.id() + "'] td:nth-child(2) span:not(.tag)").innerText();
        shot("templates-" + language);
        page.navigate(url("/coupons/new"));
        page.locator("#name").fill(unique("满减券"));
        page.locator("#kind").selectOption("threshold");
        page.locator("#tiers").fill("满200减20");
        page.locator("#save-template").click();
        String refusal = page.locator("#tiers + .error").innerText();
        shot("template-refused-" + language);
        return List.of(terms, refusal);
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(java.nio.file.Path.of("target", "screenshots", "coupons-" + name + ".png")));
    }

    @Test
    void theTemplateListAndTheDrawPagesShowInEnglishToo() {
        DrawCampaign campaign = draws.create(new CampaignDraft(unique("Double 11 draw"), 300_00L, 50L, 1_000_00L, true, List.of(
                new PrizeDraft(null, "gift", "Umbrella", null, null, "GIFT-UMB", 20_00L, 100_000, 50),
                new PrizeDraft(null, "points", "100 points", 100L, null, null, 1_00L, 300_000, null))));
        for (int i = 0; i < 3; i++) {
            draws.play(draws.grant(campaign.id(), CouponFixtures.customer(customers), unique("g"), "console").id());
        }
        signIn();
        page.navigate(url("/coupons?lang=en"));
        assertThat(page.locator("h1")).hasText("Coupons");
        page.navigate(url("/draws/" + campaign.id()));
        assertThat(page.locator("h1")).containsText(campaign.name());
        Page.WaitForSelectorOptions visible = new Page.WaitForSelectorOptions();
        page.locator("button.replay-draw").first().click();
        page.waitForSelector(".replay", visible);
        assertThat(page.locator(".replay").first()).hasClass(java.util.regex.Pattern.compile(".*ok.*"));
        assertThat(page.locator("table.prizes tbody tr")).hasCount(4);
    }
}
