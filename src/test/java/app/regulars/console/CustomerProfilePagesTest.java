package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StaffDraft;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreDraft;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.Identity;
import app.regulars.customers.ProfileChange;
import app.regulars.customers.Registration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class CustomerProfilePagesTest extends BrowserTest {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    @Autowired CustomerProfiles profiles;
    @Autowired Catalog catalog;
    @Autowired Users users;
    @Autowired JdbcTemplate jdbc;
    @Autowired app.regulars.customers.CustomerIdentities identities;
    @Autowired app.regulars.insights.Tags tags;

    private static String freshPhone() {
        return "136" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    private Store store(String prefix) {
        String code = prefix + Long.toString(NEXT.incrementAndGet(), 36).toUpperCase();
        catalog.upsertStore(new StoreDraft(code, "望京店 " + code, "华北", "北京", "Asia/Shanghai", null, true));
        return catalog.storeByCode(code).orElseThrow();
    }

    @Test
    void aClerkSignsACustomerUpAtTheirStoreAndTheSamePhoneIsNotSignedUpTwice() {
        Store store = store("WJ");
        catalog.upsertStaff(store.id(), new StaffDraft("G01", "王芳", "advisor", true));
        String clerk = "clerk-" + store.code().toLowerCase();
        users.create(clerk, "clerk-password-1", Role.CLERK, Set.of(store.id()));
        String phone = freshPhone();
        signIn(clerk, "clerk-password-1");

        page.navigate(url("/customers"));
        page.click("#new-customer");
        page.waitForURL(Pattern.compile(".*/customers/new$"));
        // A clerk's only store is their home store picker's only choice, picked already.
        assertThat(page.locator("#homeStoreId option").allInnerTexts()).containsExactly("—", store.name() + " (" + store.code() + ")");
        assertThat(page.locator("#homeStoreId").inputValue()).isEqualTo(String.valueOf(store.id()));
        page.selectOption("#homeStoreId", ""); // a customer of no store would vanish from a clerk's view
        page.fill("#phone", "1380013800"); // one digit short: said at once, with the missing store
        page.click("#profile-save");
        assertThat(page.locator("#profile-form .error").allInnerTexts()).anySatisfy(e -> assertThat(e).contains("请选择你负责的门店"))
                .anySatisfy(e -> assertThat(e).contains("不是大陆手机号"));
        page.selectOption("#homeStoreId", String.valueOf(store.id()));
        page.locator("#advisorStaff option[value=G01]").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        page.fill("#phone", "12345");
        String name = "赵丽" + store.code();
        page.fill("#name", name);
        page.click("#profile-save");
        assertThat(page.locator("#profile-form .error").first().innerText()).contains("不是大陆手机号");
        assertThat(profiles.searchByName(name)).isEmpty();

        page.fill("#phone", phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7));
        page.selectOption("#gender", "female");
        page.selectOption("#advisorStaff", "G01");
        page.fill("#registeredAt", "2021-03-04T10:30");
        page.check("input[name=marketing][value=sms]");
        page.click("#profile-save");
        page.waitForURL(Pattern.compile(".*/customers/\\d+\\?created$"));
        assertThat(page.locator("#signed-up").innerText()).isEqualTo("已开卡。");
        assertThat(page.locator("h1").innerText()).contains(name);
        String profile = page.locator("#profile").innerText();
        assertThat(profile).contains("女").contains("王芳").contains(store.name()).contains("2021-03-04 10:30");
        assertThat(page.locator("[data-consent='sms/marketing']").innerText()).contains("已同意").contains("console");
        assertThat(page.locator("[data-consent='wechat/marketing']").innerText()).contains("未询问");
        long id = profiles.searchByPhone(phone).getFirst().id();
        CustomerProfile saved = profiles.profile(id).orElseThrow();
        assertThat(saved.registrationStoreId()).isEqualTo(store.id());
        assertThat(saved.registrationChannel()).isEqualTo("store");
        assertThat(saved.registeredAt()).isEqualTo(Instant.parse("2021-03-04T02:30:00Z"));

        // The same regular at the counter again: their page is offered, and nothing of theirs changes.
        page.navigate(url("/customers/new"));
        page.fill("#phone", "+86" + phone);
        page.fill("#name", "别人");
        page.click("#profile-save");
        assertThat(page.locator("#known-customer").innerText()).contains(name);
        page.click("#known-customer a");
        page.waitForURL(Pattern.compile(".*/customers/" + id + "$"));
        assertThat(profiles.profile(id).orElseThrow().name()).isEqualTo(name);
        assertThat(profiles.searchByPhone(phone)).hasSize(1);
    }

    @Test
    void editingTheProfileChangesWhatWasTouchedAndAnnouncesOnlyThat() {
        Store first = store("EA");
        Store second = store("EB");
        catalog.upsertStaff(second.id(), new StaffDraft("B07", "李娜", "advisor", true));
        long id = profiles.register(new Registration(Identity.ofPhone(freshPhone()), first.id(), "store",
                new ProfileChange("钱多多", null, null, "male", "1990-07-15", "朝阳路 1 号", "华北", "北京", first.id(),
                        null, null, null, "2024-06-01"), List.of())).profile().id();
        signIn();
        page.navigate(url("/customers/" + id));
        page.click("#edit-profile");
        page.waitForURL(Pattern.compile(".*/customers/" + id + "/edit$"));
        assertThat(page.locator("#name").inputValue()).isEqualTo("钱多多");
        assertThat(page.locator("#registeredAt").inputValue()).isEqualTo("2024-06-01T00:00");
        assertThat(page.locator("#profile-form").innerText()).contains("已登记 07-15");
        long before = updates(id);

        page.click("#profile-save"); // nothing touched
        page.waitForURL(Pattern.compile(".*/customers/" + id + "#profile$"));
        assertThat(page.locator("#profile-saved").isVisible()).isTrue();
        assertThat(updates(id)).isEqualTo(before);

        page.click("#edit-profile");
        page.fill("#registeredAt", "1900-01-01T09:00");
        page.click("#profile-save");
        assertThat(page.locator("#profile-form .error").last().innerText()).contains("1950");
        assertThat(profiles.profile(id).orElseThrow().registeredAt())
                .isEqualTo(Instant.parse("2024-05-31T16:00:00Z"));

        page.fill("#registeredAt", "2019-11-11T20:15");
        page.fill("#city", "天津");
        page.selectOption("#homeStoreId", String.valueOf(second.id()));
        page.locator("#advisorStaff option[value=B07]").waitFor(
                new com.microsoft.playwright.Locator.WaitForOptions().setState(
                        com.microsoft.playwright.options.WaitForSelectorState.ATTACHED)); // the new store's staff, swapped in
        page.selectOption("#advisorStaff", "B07");
        page.click("#profile-save");
        page.waitForURL(Pattern.compile(".*/customers/" + id + "#profile$"));
        assertThat(page.locator("#profile").innerText()).contains("天津").contains("李娜").contains(second.name())
                .contains("2019-11-11 20:15").contains("07-15");
        CustomerProfile after = profiles.profile(id).orElseThrow();
        assertThat(after.registeredAt()).isEqualTo(
                java.time.LocalDateTime.parse("2019-11-11T20:15").atZone(ZoneId.of("Asia/Shanghai")).toInstant());
        assertThat(after.name()).isEqualTo("钱多多");
        assertThat(after.hasAddress()).isTrue();
        assertThat(updates(id)).isEqualTo(before + 1);
        assertThat(jdbc.queryForObject("""
                select payload::jsonb->>'changed' from event_feed
                where type = 'customer.updated' and customer_id = ? order by id desc limit 1""", String.class, id))
                .isEqualTo("[\"city\", \"homeStoreId\", \"advisorStaff\", \"registeredAt\"]");
    }

    @Test
    void theCustomerListShowsTheStorePickedsCustomersAlsoAmongATagsCarriers() {
        Store picked = store("FA");
        Store other = store("FB");
        long ours = registered("方圆", picked);
        long theirs = registered("石磊", other);
        signIn();
        page.navigate(url("/customers"));
        page.selectOption("#filter-store", String.valueOf(picked.id()));
        page.waitForURL(Pattern.compile(".*/customers\\?store=" + picked.id() + ".*"));
        assertThat(page.locator(".customers-table tbody tr:has(a[href$='/customers/" + ours + "'])").count()).isEqualTo(1);
        assertThat(page.locator(".customers-table tbody tr:has(a[href$='/customers/" + theirs + "'])").count()).isZero();
        assertThat(page.locator(".customers-table tbody tr").count()).isEqualTo(1);
        assertThat(page.locator(".customers-table tbody tr").innerText()).contains("方圆").contains(picked.name());
        assertThat(page.locator("#filter-store").inputValue()).isEqualTo(String.valueOf(picked.id()));

        // A tag both carry, within the store picked: that store's one.
        String tag = "门店活动-" + picked.code();
        tags.add(ours, tag);
        tags.add(theirs, tag);
        long tagId = tags.list().stream().filter(t -> t.name().equals(tag)).findFirst().orElseThrow().id();
        page.navigate(url("/customers?store=" + picked.id()));
        page.selectOption("#filter-tag", String.valueOf(tagId));
        page.waitForURL(Pattern.compile(".*tag=" + tagId + ".*"));
        assertThat(page.locator("#filter-total").innerText()).isEqualTo("共 1 人");
        assertThat(page.locator(".customers-table tbody tr:has(a[href$='/customers/" + ours + "'])").count()).isEqualTo(1);
        assertThat(page.locator("#filter-store").inputValue()).isEqualTo(String.valueOf(picked.id()));
        page.selectOption("#filter-store", "");
        page.waitForURL(u -> !u.contains("store=" + picked.id()));
        assertThat(page.locator("#filter-total").innerText()).isEqualTo("共 2 人");
    }

    @Test
    void aClerkSavingACustomerWhoseHomeIsAnotherStoreKeepsTheirHomeAndAdvisor() {
        Store counter = store("GA");
        Store home = store("GB");
        catalog.upsertStaff(home.id(), new StaffDraft("H01", "周婷", "advisor", true));
        long id = profiles.register(new Registration(Identity.ofPhone(freshPhone()), counter.id(), "store",
                new ProfileChange("严宽", null, null, null, null, null, null, "上海", home.id(), null, "H01", null),
                List.of())).profile().id();
        String clerk = "clerk-" + counter.code().toLowerCase();
        users.create(clerk, "clerk-password-1", Role.CLERK, Set.of(counter.id()));
        signIn(clerk, "clerk-password-1");
        page.navigate(url("/customers/" + id + "/edit"));
        assertThat(page.locator("#homeStoreId").inputValue()).isEqualTo(String.valueOf(home.id()));
        assertThat(page.locator("#advisorStaff").inputValue()).isEqualTo("H01");
        page.fill("#city", "苏州");
        page.click("#profile-save");
        page.waitForURL(Pattern.compile(".*/customers/" + id + "#profile$"));
        CustomerProfile after = profiles.profile(id).orElseThrow();
        assertThat(after.city()).isEqualTo("苏州");
        assertThat(after.homeStoreId()).isEqualTo(home.id());
        assertThat(after.advisorStaffId()).isNotNull();
    }

    @Test
    void aNewPhoneReplacesTheOldOneAndAnotherCustomersPhoneIsRefusedWithWhoHasIt() {
        Store home = store("PH");
        long id = registered("韩梅", home);
        String old = profiles.profile(id).orElseThrow().identities().getFirst().shown();
        long other = registered("李雷", home);
        String othersPhone = freshPhone();
        profiles.update(other, new ProfileChange(null, othersPhone, null, null, null, null, null, null, null, null, null,
                null));
        String fresh = freshPhone();
        signIn();
        page.navigate(url("/customers/" + id + "/edit"));
        assertThat(page.locator("#phone").getAttribute("placeholder")).contains(old).contains("留空不改");

        page.fill("#phone", othersPhone);
        page.fill("#city", "大连");
        page.click("#profile-save");
        assertThat(page.locator("#profile-form .error").first().innerText()).contains("#" + other).contains("合并");
        assertThat(profiles.searchByPhone(othersPhone)).extracting(c -> c.id()).containsExactly(other);
        assertThat(profiles.profile(id).orElseThrow().city()).isNull();

        page.fill("#phone", fresh);
        page.click("#profile-save");
        page.waitForURL(Pattern.compile(".*/customers/" + id + "#profile$"));
        assertThat(profiles.searchByPhone(fresh)).extracting(c -> c.id()).containsExactly(id);
        assertThat(page.locator("#phone").innerText()).isEqualTo(fresh.substring(0, 3) + "****" + fresh.substring(7));
        assertThat(profiles.profile(id).orElseThrow().city()).isEqualTo("大连");
    }

    @Test
    void aStoreManagerAddsASecondCardAndDetachesThePhoneTheCustomerGaveUp() {
        Store home = store("ID");
        String manager = "mgr-" + home.code().toLowerCase();
        users.create(manager, "manager-password-1", Role.STORE_MANAGER, Set.of(home.id()));
        long id = registered("孙悦", home);
        String oldPhone = profiles.profile(id).orElseThrow().identities().getFirst().shown();
        long other = registered("周航", home);
        String othersCard = "VIPO" + Long.toString(System.nanoTime(), 36).toUpperCase();
        profiles.update(other, new ProfileChange(null, null, othersCard, null, null, null, null, null, null, null, null,
                null));
        String card = "VIPN" + Long.toString(System.nanoTime(), 36).toUpperCase();
        String newPhone = freshPhone();
        signIn(manager, "manager-password-1");
        page.navigate(url("/customers/" + id));

        addIdentity("card", othersCard);
        shows(page.locator("#identity-form .error"), "已属于顾客 #" + other);
        shows(page.locator("#identity-holder"), "合并需总部或店主操作"); // a store manager cannot merge
        assertThat(page.locator("#merge-holder").count()).isZero();
        addIdentity("card", card.toLowerCase());
        shows(page.locator("#identity-notice"), "已添加");
        shows(page.locator("#identities tr.identity[data-kind=card]"), card);
        addIdentity("phone", newPhone);
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(
                page.locator("#identities tr.identity[data-kind=phone]")).hasCount(2);

        // Two phones can mask alike: a manager may see the whole number before detaching it (audited).
        com.microsoft.playwright.Locator oldRow = page.locator("#identities tr.identity[data-kind=phone]").first();
        shows(oldRow, oldPhone); // identities of a kind are listed oldest first
        oldRow.locator("button.reveal").click();
        String whole = oldPhone.substring(0, 3) + "\\d{4}" + oldPhone.substring(7);
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(oldRow.locator(".revealed"))
                .hasText(Pattern.compile(whole));
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'customer.pii.revealed'"
                + " and subject_id = ? and detail->>'field' = 'identity'", Long.class, String.valueOf(id))).isEqualTo(1);
        page.onceDialog(dialog -> dialog.accept());
        oldRow.locator("button.detach").click();
        shows(page.locator("#identity-notice"), "已解除");
        assertThat(page.locator("#identities tr.identity[data-kind=phone]").allInnerTexts())
                .singleElement().asString().doesNotContain(oldPhone);
        assertThat(profiles.searchByCard(card)).extracting(c -> c.id()).containsExactly(id);
        assertThat(profiles.searchByPhone(newPhone)).extracting(c -> c.id()).containsExactly(id);
        page.reload();
        assertThat(page.locator("#phone").innerText()).isEqualTo(newPhone.substring(0, 3) + "****" + newPhone.substring(7));

        // The card detached meanwhile (another tab, a colleague): the page says so, in Chinese, and catches up.
        identities.detach(id, identities.of(id).stream().filter(i -> i.kind().equals("card")).findFirst()
                .orElseThrow().handle());
        page.onceDialog(dialog -> dialog.accept());
        page.locator("#identities tr.identity[data-kind=card] button.detach").click();
        shows(page.locator("#identity-error"), "这个身份标识已不在");
        assertThat(page.locator("#identities tr.identity[data-kind=card]").count()).isZero();
        // The one left cannot go: no till could find the customer again.
        page.onceDialog(dialog -> dialog.accept());
        page.locator("#identities tr.identity[data-kind=phone] button.detach").click();
        shows(page.locator("#identity-error"), "仅剩");
        assertThat(profiles.searchByPhone(newPhone)).extracting(c -> c.id()).containsExactly(id);
    }

    @Test
    void anIdentityAnotherCustomerHoldsIsMergedFromTheCardByTheOwner() {
        Store home = store("MG");
        long id = registered("吴迪", home);
        String openId = "oMini" + Long.toString(System.nanoTime(), 36);
        // The same person, registered again by the mini-program under their WeChat id.
        long holder = profiles.register(new Registration(new Identity(null, null, openId, null, null, null), home.id(),
                "mini_program", new ProfileChange(null, null, null, null, null, null, null, null, null, null, null, null),
                List.of())).profile().id();
        signIn();
        page.navigate(url("/customers/" + id));

        addIdentity("wechat_openid", openId);
        shows(page.locator("#identity-form .error"), "已属于顾客 #" + holder);
        shows(page.locator("#identity-holder a"), "查看顾客 #" + holder);
        page.onceDialog(dialog -> dialog.accept());
        page.click("#merge-holder");
        page.waitForURL(Pattern.compile(".*/customers/" + id + "$"));
        shows(page.locator("main"), "顾客 #" + holder + " 已合并到此顾客");
        shows(page.locator("#identities tr.identity[data-kind=wechat_openid]"), openId.substring(0, 4));
        assertThat(jdbc.queryForObject("select merged_into from customer where id = ?", Long.class, holder)).isEqualTo(id);
    }

    /** Adds an identity through the 360 page's identities card. */
    private void addIdentity(String kind, String value) {
        if (!page.locator("#identities details").evaluate("d => d.open").equals(Boolean.TRUE)) {
            page.click("#identities summary");
        }
        page.selectOption("#identity-kind", kind);
        page.fill("#identity-value", value);
        page.click("#identity-add");
    }

    /** Waits for the text: an htmx swap replaces the card a moment after the click. */
    private static void shows(com.microsoft.playwright.Locator locator, String text) {
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(locator).containsText(text);
    }

    private long registered(String name, Store home) {
        return profiles.register(new Registration(Identity.ofPhone(freshPhone()), home.id(), "store",
                new ProfileChange(name, null, null, null, null, null, null, null, home.id(), null, null, null),
                List.of())).profile().id();
    }

    private long updates(long id) {
        return jdbc.queryForObject("select count(*) from event_feed where type = 'customer.updated' and customer_id = ?",
                Long.class, id);
    }
}
