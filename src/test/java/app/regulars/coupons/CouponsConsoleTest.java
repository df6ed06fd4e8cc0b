package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.Page;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CouponsConsoleTest extends BrowserTest {

    @Autowired Customers customers;
    @Autowired Catalog catalog;
    @Autowired Coupons coupons;
    @Autowired Draws draws;

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
