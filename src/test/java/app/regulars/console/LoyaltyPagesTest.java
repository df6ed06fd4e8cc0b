package app.regulars.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import app.regulars.loyalty.LoyaltyFixtures;
import app.regulars.loyalty.PointsLedger;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/** The loyalty console in a real browser: rules configured there change what a receipt earns. */
class LoyaltyPagesTest extends BrowserTest {

    @Autowired Catalog catalog;
    @Autowired PointsLedger ledger;
    @Autowired ObjectMapper json;

    @Test
    void aDoublePointsDayConfiguredInTheConsoleDoublesTheReceiptsPointsShownWithTheTierOnCustomer360() throws Exception {
        String store = LoyaltyFixtures.unique("DP");
        StoreFixtures.create(catalog, store);
        Instant purchased = Instant.now().minus(45, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        LocalDate day = LocalDate.ofInstant(purchased, ZoneId.of("Asia/Shanghai"));
        String name = LoyaltyFixtures.unique("双倍积分日");
        signIn();

        page.navigate(url("/loyalty/rules"));
        page.locator("#kind").selectOption("special_days");
        page.locator("#name").fill(name);
        page.locator("#factor").fill("2");
        page.locator("#dates").fill(day.toString());
        page.locator("#storeCodes").fill(store);
        page.locator("#save-rule").click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("已保存。");
        assertThat(page.getByRole(AriaRole.ROW).filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(name)))
                .containsText("×2");

        ResponseEntity<String> r = apiPost("/api/v1/receipts", LoyaltyFixtures.sale(LoyaltyFixtures.unique("pos"), "R-1",
                store, LoyaltyFixtures.phone(), purchased, "SKU-A:1:2500.00"));
        long customer = json.readTree(r.getBody()).path("customerId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.account(customer).balance() == 5000);

        page.navigate(url("/customers/" + customer));
        assertThat(page.locator("#loyalty-balance .value")).hasText("5,000");
        assertThat(page.locator("#loyalty-spendable .value")).hasText("5,000");
        assertThat(page.locator("#loyalty-tier .value")).hasText("银卡");
        assertThat(page.locator("#loyalty-ledger")).containsText("消费积分");
        assertThat(page.locator("#loyalty-ledger")).containsText("+5000");
    }

    @Test
    void aManualAdjustmentOnCustomer360ShowsInTheLedgerAtOnce() throws Exception {
        String store = LoyaltyFixtures.unique("MA");
        StoreFixtures.create(catalog, store);
        ResponseEntity<String> r = apiPost("/api/v1/receipts", LoyaltyFixtures.sale(LoyaltyFixtures.unique("pos"), "R-1",
                store, LoyaltyFixtures.phone(), Instant.now().minus(50, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS),
                "SKU-A:1:88.00"));
        long customer = json.readTree(r.getBody()).path("customerId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.account(customer).balance() == 88);
        signIn();

        page.navigate(url("/customers/" + customer));
        page.locator("#loyalty-adjust input[name=points]").fill("12");
        page.locator("#loyalty-adjust input[name=reason]").fill("生日补偿");
        page.locator("#loyalty-adjust button").click();

        assertThat(page.locator("#loyalty-balance .value")).hasText("100");
        assertThat(page.locator("#loyalty-ledger")).containsText("生日补偿");
        assertThat(ledger.verify(customer).problems()).isEmpty();

        assertThat(refusedAdjustment()).containsText("积分：不能为 0");
        page.navigate(url("/customers/" + customer + "?lang=en"));
        assertThat(refusedAdjustment()).containsText("Points: not 0");
    }

    /** An adjustment of zero points: what the section says about it. */
    private com.microsoft.playwright.Locator refusedAdjustment() {
        page.locator("#loyalty-adjust input[name=points]").fill("0");
        page.locator("#loyalty-adjust input[name=reason]").fill("误操作");
        page.locator("#loyalty-adjust button").click();
        return page.locator(".loyalty-section [role=alert]");
    }

    @Test
    void overlappingRulesAreShownAsConflictsAndTheOverviewDrawsItsCharts() {
        String store = LoyaltyFixtures.unique("CF");
        StoreFixtures.create(catalog, store);
        signIn();
        for (String name : new String[] {"周末双倍 " + store, "会员日三倍 " + store}) {
            page.navigate(url("/loyalty/rules"));
            page.locator("#kind").selectOption("special_days");
            page.locator("#name").fill(name);
            page.locator("#factor").fill(name.startsWith("周末") ? "2" : "3");
            page.locator(name.startsWith("周末") ? "#weekdays" : "#daysOfMonth").fill(name.startsWith("周末") ? "6, 7" : "8");
            page.locator("#storeCodes").fill(store);
            page.locator("#save-rule").click();
        }
        assertThat(page.locator("#conflicts")).containsText("周末双倍 " + store);
        assertThat(page.locator("#conflicts")).containsText("会员日三倍 " + store);
        page.screenshot(new com.microsoft.playwright.Page.ScreenshotOptions()
                .setPath(java.nio.file.Path.of("target", "screenshots", "LoyaltyPagesTest-rules.png")).setFullPage(true));
        for (String tab : new String[] {"/loyalty/tiers", "/loyalty/gifts", "/loyalty/settings?lang=en"}) {
            page.navigate(url(tab));
            page.screenshot(new com.microsoft.playwright.Page.ScreenshotOptions()
                    .setPath(java.nio.file.Path.of("target", "screenshots", "LoyaltyPagesTest" + tab.replace('/', '-')
                            .replace('?', '-').replace('=', '-') + ".png")).setFullPage(true));
        }

        page.navigate(url("/loyalty?lang=zh-CN"));
        page.locator("#verify-ledger").click();
        assertThat(page.locator("#verify [role=status]")).containsText("账本平衡");
        assertThat(page.locator("#tier-chart canvas")).hasCount(1);
        assertThat(page.locator("#month-chart canvas")).hasCount(1);
        assertThat(page.locator("#kpi-liability")).containsText("积分负债");
    }
}
