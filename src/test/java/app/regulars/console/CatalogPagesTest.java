package app.regulars.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CatalogPagesTest extends BrowserTest {

    final String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(java.util.Locale.ROOT);

    @Test
    void aStoreAddedInTheConsoleIsListedWithItsStaff() {
        signIn();
        page.navigate(url("/stores"));
        page.locator("#store-form [name=code]").fill("GZ" + run);
        page.locator("#store-form [name=name]").fill("天河城店");
        page.locator("#store-form [name=region]").fill("华南");
        page.locator("#store-form [name=city]").fill("广州");
        page.locator("#store-form [name=openedOn]").fill("2021-09-18");
        page.locator("#store-form button[type=submit]").click();

        assertThat(page.locator("table.stores")).containsText("GZ" + run);
        assertThat(page.locator("table.stores")).containsText("天河城店");

        page.locator("#staff-form [name=code]").fill("A01");
        page.locator("#staff-form [name=name]").fill("陈晓");
        page.locator("#staff-form [name=role]").selectOption("advisor");
        page.locator("#staff-form button[type=submit]").click();
        assertThat(page.locator("table.staff")).containsText("陈晓");
        assertThat(page.locator("table.staff")).containsText("美容顾问");

        // Exact name: a random store code may contain "a01" too, and hasText ignores case.
        page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                new com.microsoft.playwright.Page.GetByRoleOptions().setName("A01").setExact(true)).click();
        assertThat(page.locator("#staff-form [name=name]")).hasValue("陈晓");
        page.locator("#staff-form [name=role]").selectOption("manager");
        page.locator("#staff-form button[type=submit]").click();
        page.navigate(url("/stores?code=GZ" + run + "&lang=en"));
        assertThat(page.locator("table.staff")).containsText("Store manager");
        assertThat(page.locator("table.staff")).not().containsText("Beauty advisor");
    }

    @Test
    void aStoreWithAnUnknownTimezoneIsRefusedNextToTheField() {
        signIn();
        page.navigate(url("/stores"));
        page.locator("#store-form [name=code]").fill("BAD" + run);
        page.locator("#store-form [name=name]").fill("测试店");
        page.locator("#store-form [name=timezone]").fill("Asia/Atlantis");
        page.locator("#store-form button[type=submit]").click();

        assertThat(page.locator("#store-form .error")).containsText("未知时区");
        assertThat(page.locator("table.stores")).not().containsText("BAD" + run);
    }

    @Test
    void theHolidaysPageShowsSpringFestivalAndItsWindow() {
        signIn();
        page.navigate(url("/holidays?year=2026"));

        assertThat(page.locator("table.holidays")).containsText("2026-02-17");
        assertThat(page.locator("table.holidays")).containsText("春节");
        assertThat(page.locator("table.holidays")).containsText("02-03 – 02-24");

        page.navigate(url("/holidays?year=2026&lang=en"));
        assertThat(page.locator("table.holidays")).containsText("Mid-Autumn Festival");
        page.navigate(url("/holidays?year=2026&lang=zh-CN"));
    }

    @Test
    void aCustomHolidayAddedInTheConsoleAppearsInItsYear() {
        signIn();
        page.navigate(url("/holidays"));
        page.locator("#holiday-form [name=code]").fill("anniv-" + run.toLowerCase(java.util.Locale.ROOT));
        page.locator("#holiday-form [name=nameZh]").fill("店庆" + run);
        page.locator("#holiday-form [name=date]").fill("2031-06-06");
        page.locator("#holiday-form button[type=submit]").click();

        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*year=2031.*"));
        assertThat(page.locator("table.holidays")).containsText("店庆" + run);
    }

    @Test
    void productsAreAddedSearchedAndCategoriesCarryCycles() {
        signIn();
        page.navigate(url("/products"));
        page.locator("#category-form [name=code]").fill("skin" + run);
        page.locator("#category-form [name=name]").fill("护肤" + run);
        page.locator("#category-form [name=repurchaseCycleDays]").fill("45");
        page.locator("#category-form button[type=submit]").click();
        assertThat(page.locator("table.categories")).containsText("skin" + run);

        page.locator("#product-form [name=skuCode]").fill("SERUM-" + run);
        page.locator("#product-form [name=name]").fill("小棕瓶精华 " + run);
        page.locator("#product-form [name=categoryCode]").selectOption("skin" + run);
        page.locator("#product-form [name=brand]").fill("雅诗");
        page.locator("#product-form [name=price]").fill("860.00");
        page.locator("#product-form button[type=submit]").click();

        page.navigate(url("/products"));
        page.locator("#product-search [name=q]").fill("小棕瓶精华 " + run);
        assertThat(page.locator("table.products tbody tr")).hasCount(1);
        assertThat(page.locator("table.products")).containsText("SERUM-" + run);
        assertThat(page.locator("table.products")).containsText("¥860.00");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*q=.*"));
    }
}
