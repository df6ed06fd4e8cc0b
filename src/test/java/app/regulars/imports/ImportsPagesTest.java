package app.regulars.imports;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import app.regulars.BrowserTest;
import app.regulars.catalog.Catalog;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ImportsPagesTest extends BrowserTest {

    @Autowired Catalog catalog;
    @Autowired JdbcClient db;

    @Test
    void aSmallCsvIsUploadedMappedAndImportedWithProgressToTheEnd() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String store = TestStores.ensure(db, catalog, "WEB-" + run);
        String csv = """
                小票号,消费时间,手机号,商品编码,商品名称,数量,单价,备注
                W1-%1$s,2024-03-01 10:00,13912345678,SKU-%1$s-A,洁面乳,1,89.00,
                W1-%1$s,2024-03-01 10:00,13912345678,SKU-%1$s-B,面霜,2,120.00,会员日
                W2-%1$s,2024-03-02 15:30,,SKU-%1$s-A,洁面乳,1,89.00,
                """.formatted(run);
        signIn();
        page.navigate(url("/imports"));
        page.locator("#file").setInputFiles(new FilePayload("sales-" + run + ".csv", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8)));
        page.locator("#store").selectOption(store);
        page.locator("#upload-form button[type=submit]").click();

        assertThat(page.locator("h1")).hasText("检查列");
        Locator mapping = page.locator(".imports-mapping");
        assertThat(mapping).containsText("138****5678".replace("138", "139"));
        assertThat(mapping).not().containsText("13912345678");
        assertThat(page.locator("select[aria-label='手机号']")).hasValue("phone");
        assertThat(page.locator("select[aria-label='备注']")).hasValue("");
        page.locator("input[name=saveAs]").fill("web-" + run);
        screenshot("mapping");
        page.locator("#start").click();

        Locator row = page.locator("table.imports-jobs tbody tr").first();
        assertThat(row).containsText("sales-" + run + ".csv");
        assertThat(row.locator(".import-status")).hasText("已完成", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
        assertThat(row.locator(".import-progress")).containsText("100%");
        assertThat(row.locator(".applied")).hasText("2 张小票"); // receipts; its rows are lines

        page.navigate(url("/imports?lang=en"));
        assertThat(page.locator("h1")).hasText("Import");
        assertThat(page.locator("table.imports-jobs tbody tr").first().locator(".import-status")).hasText("Done");
        assertThat(page.locator("table.imports-jobs tbody tr").first().locator(".applied")).hasText("2 receipts");
        screenshot("list-en");
    }

    @Test
    void aFileWithErrorsIsRejectedAndItsErrorReportCanBeDownloaded() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = """
                货号,品名,售价
                R-%1$s-1,洁面乳,89.00
                R-%1$s-2,面霜,八十
                """.formatted(run);
        signIn();
        page.navigate(url("/imports"));
        page.locator("#file").setInputFiles(new FilePayload("products-" + run + ".csv", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8)));
        page.locator("#upload-form button[type=submit]").click();
        assertThat(page.locator("select[aria-label='售价']")).hasValue("price");
        page.locator("#start").click();

        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("products-" + run + ".csv"));
        assertThat(row.locator(".import-status")).hasText("已拒绝",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
        assertThat(row).containsText("未导入任何数据");
        assertThat(row.locator("[title]")).hasAttribute("title", "文件有错误，未导入任何数据。请改正错误，或勾选“跳过错误行”后导入");
        String report = download(row);
        org.assertj.core.api.Assertions.assertThat(report).startsWith("\uFEFF行,列,原因").contains("3,售价,不是金额")
                .doesNotContain("八十");
        screenshot("rejected");

        // The job's page shows the error rows themselves: row, column and reason, never the cell's value.
        row.locator("a.error-view").click();
        Locator errors = page.locator("#import-errors table.import-errors tbody tr");
        assertThat(errors).hasCount(1);
        assertThat(errors.first().locator("td.row-number")).hasText("3");
        assertThat(errors.first()).containsText("售价");
        assertThat(errors.first().locator("td.reason")).hasText("不是金额");
        assertThat(page.locator("#import-errors")).containsText("共 1 条错误");
        assertThat(page.locator("main")).not().containsText("八十");
        assertThat(page.locator(".import-message")).containsText("文件有错误，未导入任何数据");
        screenshot("errors");

        page.navigate(page.url() + "?lang=en");
        assertThat(page.locator("#import-errors td.reason").first()).hasText("not an amount of money");
        assertThat(page.locator(".import-message")).containsText("the file has errors; nothing was imported");

        page.navigate(url("/imports?lang=en"));
        String english = download(page.locator("tr", new Page.LocatorOptions().setHasText("products-" + run + ".csv")));
        org.assertj.core.api.Assertions.assertThat(english).startsWith("\uFEFFrow,column,reason")
                .contains("3,售价,not an amount of money").doesNotContain("八十");
    }

    /** The mapping step says what the file still needs, in the user's language. */
    @Test
    void theMappingStepSaysWhatIsMissingInChineseOrInEnglish() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String store = TestStores.ensure(db, catalog, "MAP-" + run);
        signIn();
        assertThat(missingColumn(run, store)).hasText("请把一列设为数量");
        screenshot("mapping-missing");
        page.navigate(url("/imports?lang=en"));
        assertThat(missingColumn(run, store)).hasText("map a column to quantity");
    }

    /** Uploads receipts without a quantity column and starts them: the mapping step comes back with its errors. */
    private Locator missingColumn(String run, String store) {
        String csv = """
                小票号,消费时间,手机号,商品编码,单价
                Q1-%1$s,2024-03-01 10:00,13912345678,SKU-%1$s-A,89.00
                """.formatted(run);
        page.navigate(url("/imports"));
        page.locator("#file").setInputFiles(new FilePayload("no-quantity-" + run + ".csv", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8)));
        page.locator("#store").selectOption(store);
        page.locator("#upload-form button[type=submit]").click();
        page.locator("#start").click();
        return page.locator("#mapping-errors");
    }

    /** More errors than the page shows: the first 50, how many there are, and the download for all. */
    @Test
    void aJobWithManyErrorsShowsTheFirstFiftyAndOffersThemAll() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("货号,品名,售价\n");
        for (int i = 1; i <= 60; i++) {
            csv.append("M-").append(run).append('-').append(i).append(",面霜,").append(i == 7 ? "12.00" : "很贵").append('\n');
        }
        signIn();
        page.navigate(url("/imports"));
        page.locator("#file").setInputFiles(new FilePayload("many-" + run + ".csv", "text/csv",
                csv.toString().getBytes(StandardCharsets.UTF_8)));
        page.locator("#upload-form button[type=submit]").click();
        page.locator("#start").click();
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("many-" + run + ".csv"));
        assertThat(row.locator(".import-status")).hasText("已拒绝",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));

        row.locator("a.job-link").click();

        assertThat(page.locator("#import-errors tbody tr")).hasCount(50);
        assertThat(page.locator("#import-errors .errors-shown")).hasText("显示前 50 条错误，共 59 条。");
        assertThat(page.locator("#import-errors tbody tr").first().locator("td.row-number")).hasText("2");
        assertThat(page.locator("#import-errors tbody tr").nth(6).locator("td.row-number")).hasText("9");
        assertThat(page.locator("#import-errors a.error-report")).hasText("下载全部");
        String all = download(page.locator("#import-errors"));
        org.assertj.core.api.Assertions.assertThat(all.lines()).hasSize(60);
        org.assertj.core.api.Assertions.assertThat(all).doesNotContain("很贵");
        screenshot("many-errors");

        org.assertj.core.api.Assertions.assertThat(page.navigate(url("/imports/987654321")).status()).isEqualTo(404);
        org.assertj.core.api.Assertions.assertThat(page.navigate(url("/imports/not-a-job")).status()).isEqualTo(400);
    }

    /** Stats, points and segments wait for an import's rows (decision 0002, "Bulk loads"): the job page says so. */
    @Test
    void aJobApplyingItsRowsSaysThatStatsAndPointsCatchUpWhenItEnds() throws Exception {
        long id = db.sql("""
                insert into import_job (type, file_name, stored_path, status, total_rows, processed_rows, progress,
                                        mapping, options, created_at, heartbeat_at, created_by)
                values ('receipts', 'history.csv', 'nowhere', 'applying', 1000, 400, 70, '{}', '{}', now(), now(), 'owner')
                returning id""").query(Long.class).single();
        try {
            signIn();
            page.navigate(url("/imports/" + id));
            assertThat(page.locator(".import-status")).hasText("导入中");
            assertThat(page.locator(".applying-note")).hasText("导入写入期间，顾客统计、积分、优惠券和分群暂缓更新，导入结束后立即补上。");
            screenshot("applying");
            page.navigate(url("/imports/" + id + "?lang=en"));
            assertThat(page.locator(".applying-note")).containsText("they catch up as soon as it ends");
        } finally {
            db.sql("update import_job set status = 'failed', finished_at = now() where id = ?").param(id).update();
        }
        page.navigate(url("/imports/" + id + "?lang=zh-CN"));
        assertThat(page.locator(".applying-note")).hasCount(0);
    }

    /** Clicks the error report link inside {@code jobRow} (a job's row or its page's errors) and reads the file. */
    private String download(Locator jobRow) throws Exception {
        com.microsoft.playwright.Download download = page.waitForDownload(() -> jobRow.locator("a.error-report").click());
        return java.nio.file.Files.readString(download.path(), StandardCharsets.UTF_8);
    }

    private void screenshot(String name) throws Exception {
        Path dir = Path.of("target", "screenshots");
        java.nio.file.Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve("ImportsPagesTest-" + name + ".png")).setFullPage(true));
    }
}
