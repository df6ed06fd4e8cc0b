package app.regulars.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.loyalty.LoyaltyFixtures;
import app.regulars.loyalty.PointsLedger;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Manual points and tier changes on customer 360: a store manager may, a clerk of the same store may not. */
class ManualLoyaltyChangesTest extends BrowserTest {

    @Autowired Catalog catalog;
    @Autowired Customers customers;
    @Autowired Users users;
    @Autowired PointsLedger ledger;

    private Store store;
    private long customer;

    @BeforeEach
    void aStoreWithACustomer() {
        store = StoreFixtures.create(catalog, LoyaltyFixtures.unique("MC"));
        customer = customers.resolveOrCreate(Identity.ofPhone(LoyaltyFixtures.phone()), store.id(), null);
    }

    @Test
    void aClerkSeesNoAdjustmentFormsAndIsRefusedWhenPostingOneAnyway() {
        String clerk = user(Role.CLERK);
        signIn(clerk, "clerk-password-1");
        page.navigate(url("/customers/" + customer));
        assertThat(page.locator("#loyalty-balance .value")).hasText("0");
        assertThat(page.locator("#loyalty-adjust")).hasCount(0);
        assertThat(page.locator("#loyalty-tier-form")).hasCount(0);

        String csrf = page.locator("meta[name=_csrf]").getAttribute("content");
        String csrfHeader = page.locator("meta[name=_csrf_header]").getAttribute("content");
        APIResponse form = page.request().post(url("/customers/" + customer + "/loyalty/adjust"), RequestOptions.create()
                .setHeader("Accept", "text/html")
                .setForm(FormData.create().set("points", "500").set("reason", "for a friend")
                        .set("idempotencyKey", LoyaltyFixtures.unique("k")).set("_csrf", csrf)));
        assertThat(form.status()).isEqualTo(403);
        assertThat(form.text()).contains("无权访问");

        APIResponse api = page.request().put(url("/api/v1/loyalty/customers/" + customer + "/tier"), RequestOptions.create()
                .setHeader(csrfHeader, csrf)
                .setHeader("Content-Type", "application/json")
                .setData("{\"tierCode\":\"black\",\"until\":\"" + Instant.now().plus(30, ChronoUnit.DAYS)
                        + "\",\"reason\":\"for a friend\"}"));
        assertThat(api.status()).isEqualTo(403);
        assertThat(api.text()).contains("manual tier changes are for the owner, HQ marketers and store managers;"
                + " this user's role is clerk");

        assertThat(ledger.entries(customer, 10)).isEmpty();
        assertThat(ledger.account(customer).tierCode()).isEqualTo("basic");
    }

    @Test
    void aStoreManagerAdjustsPointsOfTheirStoresCustomer() {
        String manager = user(Role.STORE_MANAGER);
        signIn(manager, "manager-password-1");
        page.navigate(url("/customers/" + customer));
        page.locator("#loyalty-adjust input[name=points]").fill("300");
        page.locator("#loyalty-adjust input[name=reason]").fill("开业补偿");
        page.locator("#loyalty-adjust button").click();

        assertThat(page.locator("#loyalty-balance .value")).hasText("300");
        assertThat(page.locator("#loyalty-ledger")).containsText("开业补偿");
        assertThat(page.locator("#loyalty-tier-form")).isVisible();
        assertThat(ledger.account(customer).balance()).isEqualTo(300);
    }

    private String user(Role role) {
        String name = role.code().replace("_", "-") + "-" + Long.toString(System.nanoTime(), 36);
        users.create(name, role == Role.CLERK ? "clerk-password-1" : "manager-password-1", role, Set.of(store.id()));
        return name;
    }
}
