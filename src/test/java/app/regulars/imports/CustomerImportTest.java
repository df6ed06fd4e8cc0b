package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.customers.CustomerProfile;
import app.regulars.customers.CustomerProfiles;
import app.regulars.customers.CustomerSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class CustomerImportTest extends IntegrationTest {

    @Autowired Imports imports;
    @Autowired CustomFields customFields;
    @Autowired CustomerProfiles profiles;
    @Autowired Catalog catalog;
    @Autowired JdbcClient db;

    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    final Random random = new Random(run.hashCode());

    @Test
    void customFieldColumnsAreImportedAndValidated() throws IOException {
        String key = "skin_" + run;
        customFields.define(new CustomField(key, "肤质" + run, "Skin " + run, CustomField.Type.choice,
                List.of("干性", "油性", "混合"), false, true));
        String store = TestStores.ensure(db, catalog, "C-" + run);
        String[] phones = {phone(), phone(), phone()};
        Path file = Files.writeString(Files.createTempDirectory("imports").resolve("members.csv"), """
                手机号,姓名,性别,生日,肤质%4$s
                %1$s,张三,女,1990-05-17,油性
                %2$s,李四,男,1985-01-02,很油
                %3$s,王五,女,,干性
                """.formatted(phones[0], phones[1], phones[2], run), StandardCharsets.UTF_8);

        ImportJob strict = run(file, ImportOptions.defaults().withStore(store));
        assertThat(strict.status()).isEqualTo(ImportJob.REJECTED);
        assertThat(profiles.searchByPhone(phones[0])).isEmpty();

        ImportJob lenient = run(file, ImportOptions.defaults().withStore(store).withSkipInvalid(true));
        assertThat(lenient.status()).isEqualTo(ImportJob.DONE);
        assertThat(lenient.appliedCount()).isEqualTo(2);
        List<String> report = Files.readAllLines(imports.errorReport(lenient.id()).orElseThrow());
        assertThat(report).hasSize(2);
        assertThat(report.get(1)).startsWith("3,肤质" + run + ",").doesNotContain("很油");
        // The customers module's refusal, in the reader's language (the choices are the field's, not the value).
        assertThat(localized(lenient, Locale.SIMPLIFIED_CHINESE)).containsExactly("行,列,原因",
                "3,肤质" + run + ",\"不是以下之一：干性, 油性, 混合\"");
        assertThat(localized(lenient, Locale.ENGLISH)).containsExactly("row,column,reason",
                "3,肤质" + run + ",\"not one of 干性, 油性, 混合\"");

        CustomerSummary zhang = profiles.searchByPhone(phones[0]).getFirst();
        CustomerProfile profile = profiles.profile(zhang.id()).orElseThrow();
        assertThat(profile.custom()).containsEntry(key, "油性");
        assertThat(profile.gender()).isEqualTo("female");
        assertThat(profile.birthMmdd()).isEqualTo("0517");
        assertThat(profile.registrationStoreId()).isEqualTo(catalog.storeByCode(store).orElseThrow().id());
        assertThat(profiles.searchByPhone(phones[1])).isEmpty();
        assertThat(profiles.searchByPhone(phones[2])).hasSize(1);
    }

    @Test
    void aRowTheCustomersModuleRefusesInPassTwoIsReportedByItsRowNumber() throws IOException {
        // Pass 1 cannot know who is new; a required custom field is only required of new customers.
        String key = "vip_" + run;
        String known = phone();
        profiles.register(new app.regulars.customers.Registration(app.regulars.customers.Identity.ofPhone(known),
                null, null, null, null));
        customFields.define(new CustomField(key, "会员" + run, "Member " + run, CustomField.Type.text, List.of(),
                true, true));
        try {
            String fresh = phone();
            Path file = Files.writeString(Files.createTempDirectory("imports").resolve("members.csv"), """
                    手机号,城市
                    %s,成都
                    %s,重庆
                    """.formatted(fresh, known), StandardCharsets.UTF_8);

            ImportJob strict = run(file, ImportOptions.defaults());
            assertThat(strict.status()).isEqualTo(ImportJob.FAILED);
            assertThat(profiles.profile(profiles.searchByPhone(known).getFirst().id()).orElseThrow().city())
                    .isNull(); // the refused row's batch is not applied

            ImportJob lenient = run(file, ImportOptions.defaults().withSkipInvalid(true));
            assertThat(lenient.status()).isEqualTo(ImportJob.DONE);
            assertThat(lenient.appliedCount()).isEqualTo(1);
            List<String> report = Files.readAllLines(imports.errorReport(lenient.id()).orElseThrow());
            assertThat(report).hasSize(2);
            assertThat(report.get(1)).startsWith("2,").contains("required,customers.refused.required,")
                    .doesNotContain(fresh);
            assertThat(localized(lenient, Locale.SIMPLIFIED_CHINESE)).element(1).asString().startsWith("2,")
                    .endsWith(",必填");
            assertThat(profiles.searchByPhone(fresh)).isEmpty();
            assertThat(profiles.profile(profiles.searchByPhone(known).getFirst().id()).orElseThrow().city())
                    .isEqualTo("重庆");
        } finally {
            customFields.deactivate(key);
        }
    }

    @Test
    void aMemberFilesJoiningDatesAreKeptAndAnImplausibleOneIsReportedWhereItIs() throws IOException {
        String[] phones = {phone(), phone(), phone()};
        Path file = Files.writeString(Files.createTempDirectory("imports").resolve("members.csv"), """
                手机号,开卡时间
                %s,2019/3/8
                %s,2021-11-11 20:15:00
                %s,2091-01-01
                """.formatted(phones[0], phones[1], phones[2]), StandardCharsets.UTF_8);

        ImportJob job = run(file, ImportOptions.defaults().withSkipInvalid(true));

        assertThat(job.status()).isEqualTo(ImportJob.DONE);
        assertThat(job.appliedCount()).isEqualTo(2);
        assertThat(localized(job, Locale.SIMPLIFIED_CHINESE)).containsExactly("行,列,原因",
                "4,开卡时间,注册时间不合理（应在 1950 年之后，且不晚于今天）");
        assertThat(registeredAt(phones[0])).isEqualTo(java.time.Instant.parse("2019-03-07T16:00:00Z"));
        assertThat(registeredAt(phones[1])).isEqualTo(java.time.Instant.parse("2021-11-11T12:15:00Z"));
        assertThat(profiles.searchByPhone(phones[2])).isEmpty();
    }

    private java.time.Instant registeredAt(String phone) {
        return profiles.profile(profiles.searchByPhone(phone).getFirst().id()).orElseThrow().registeredAt();
    }

    private List<String> localized(ImportJob job, Locale locale) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        imports.writeErrorReport(imports.errorReport(job.id()).orElseThrow(), locale, out);
        return out.toString(StandardCharsets.UTF_8).substring(1).lines().toList();
    }

    private String phone() {
        return "139" + String.format("%08d", random.nextInt(100_000_000));
    }

    private ImportJob run(Path file, ImportOptions options) {
        return imports.run(new ImportRequest(file, "members.csv", null, null, null, null, options, "test"),
                (s, t, p, a, e, pc) -> { });
    }
}
