package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StaffDraft;
import app.regulars.catalog.StoreDraft;
import app.regulars.platform.ApiProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class CustomerProfilesTest extends IntegrationTest {

    @Autowired Customers customers;
    @Autowired CustomerProfiles profiles;
    @Autowired Consents consents;
    @Autowired Duplicates duplicates;
    @Autowired CustomFields fields;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;
    @Autowired ConfigurableApplicationContext context;
    @Autowired Catalog catalog;
    @Autowired TransactionTemplate tx;

    @Test
    void aCustomerRegisteredThroughTheApiIsReadBackWithAMaskedPhone() throws Exception {
        String phone = TestPhones.fresh();
        ResponseEntity<String> created = apiPost("/api/v1/customers", Map.of("phone", "+86 " + phone, "name", "李 小龙",
                "gender", "女", "birthday", "1990-03-14", "city", "上海", "registrationChannel", "pos"));
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        JsonNode body = json.readTree(created.getBody());
        long id = body.get("id").asLong();
        assertThat(created.getBody()).doesNotContain(phone);
        assertThat(body.get("phoneMasked").asText()).isEqualTo(phone.substring(0, 3) + "****" + phone.substring(7));
        assertThat(body.get("birthMmdd").asText()).isEqualTo("0314");
        assertThat(body.get("gender").asText()).isEqualTo("female");
        assertThat(body.get("ageBand").asText()).isNotBlank();
        assertThat(body.get("timezone").asText()).isEqualTo("Asia/Shanghai");

        ResponseEntity<String> again = apiPost("/api/v1/customers", Map.of("phone", phone, "city", "杭州"));
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json.readTree(again.getBody()).get("id").asLong()).isEqualTo(id);
        assertThat(json.readTree(again.getBody()).get("name").asText()).isEqualTo("李 小龙");

        JsonNode byName = json.readTree(apiGet("/api/v1/customers?name=李  小龙").getBody());
        assertThat(byName.get("customers").findValuesAsText("id")).contains(String.valueOf(id));
        JsonNode byPhone = json.readTree(apiGet("/api/v1/customers?phone=0086" + phone).getBody());
        assertThat(byPhone.get("customers").findValuesAsText("id")).containsExactly(String.valueOf(id));

        ResponseEntity<String> patched = api(HttpMethod.PATCH, "/api/v1/customers/" + id, Map.of("city", "苏州"));
        assertThat(json.readTree(patched.getBody()).get("city").asText()).isEqualTo("苏州");
    }

    @Test
    void aNewCustomerIsAnnouncedOnceAsCreatedAndEachLaterChangeOnceAsUpdated() throws Exception {
        long id = json.readTree(apiPost("/api/v1/customers", Map.of("phone", TestPhones.fresh(), "name", "周 一",
                "city", "上海", "registrationChannel", "pos")).getBody()).get("id").asLong();
        assertThat(eventTypes(id)).containsExactly("customer.created");

        api(HttpMethod.PATCH, "/api/v1/customers/" + id, Map.of("city", "苏州"));
        assertThat(eventTypes(id)).containsExactly("customer.created", "customer.updated");
    }

    @Test
    void aChangeRepeatingTheStoredValuesWritesAndAnnouncesNothingAndAMixedOneAnnouncesOnlyWhatDiffers() throws Exception {
        String phone = TestPhones.fresh();
        Map<String, Object> profile = Map.of("phone", phone, "name", "吴 二", "gender", "female", "birthday", "1988-07-01",
                "address", "上海市 长乐路 1 号", "city", "上海", "registrationChannel", "pos");
        long id = json.readTree(apiPost("/api/v1/customers", profile).getBody()).get("id").asLong();
        Instant updated = jdbc.queryForObject("select updated_at from customer where id = ?", Instant.class, id);

        // The till sends the whole profile again (the phone typed another way), and a PATCH repeats it.
        apiPost("/api/v1/customers", Map.of("phone", "+86 " + phone, "name", "吴 二", "birthday", "1988-07-01",
                "address", "上海市 长乐路 1 号", "city", "上海", "registrationChannel", "pos"));
        api(HttpMethod.PATCH, "/api/v1/customers/" + id, Map.of("name", "吴 二", "gender", "女", "city", "上海",
                "phone", phone));
        assertThat(eventTypes(id)).containsExactly("customer.created");
        assertThat(jdbc.queryForObject("select updated_at from customer where id = ?", Instant.class, id)).isEqualTo(updated);

        api(HttpMethod.PATCH, "/api/v1/customers/" + id, Map.of("name", "吴 二", "city", "苏州", "birthday", "1988-07-01"));
        assertThat(eventTypes(id)).containsExactly("customer.created", "customer.updated");
        assertThat(jdbc.queryForObject("select payload::jsonb -> 'changed' from event_feed where customer_id = ? "
                + "and type = 'customer.updated'", String.class, id)).isEqualTo("[\"city\"]");
        assertThat(profiles.profile(id).orElseThrow().city()).isEqualTo("苏州");
    }

    private List<String> eventTypes(long customerId) {
        return jdbc.queryForList("select type from event_feed where customer_id = ? and topic = 'customers' order by id",
                String.class, customerId);
    }

    @Test
    void theMemberSystemsJoiningDateIsKeptAndAnImplausibleOneIsRefusedWithTheRest() throws Exception {
        String phone = TestPhones.fresh();
        ResponseEntity<String> created = apiPost("/api/v1/customers", Map.of("phone", phone, "registeredAt", "2023-05-01"));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.CREATED);
        long id = json.readTree(created.getBody()).get("id").asLong();
        assertThat(Instant.parse(json.readTree(created.getBody()).get("registeredAt").asText()))
                .as("the day's start in Shanghai").isEqualTo(Instant.parse("2023-04-30T16:00:00Z"));

        ResponseEntity<String> corrected = apiPost("/api/v1/customers",
                Map.of("phone", phone, "registeredAt", "2022-01-15 10:30"));
        assertThat(corrected.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(Instant.parse(json.readTree(corrected.getBody()).get("registeredAt").asText()))
                .isEqualTo(Instant.parse("2022-01-15T02:30:00Z"));

        String other = TestPhones.fresh();
        for (String wrong : List.of("2023-13-01", "2099-01-01T00:00:00Z", "0202-05-01")) {
            ResponseEntity<String> refused = apiPost("/api/v1/customers",
                    Map.of("phone", other, "registeredAt", wrong, "gender", "?"));
            assertThat(refused.getStatusCode().value()).as(wrong).isEqualTo(400);
            assertThat(json.readTree(refused.getBody()).get("errors").findValuesAsText("field"))
                    .as(wrong).containsExactlyInAnyOrder("registeredAt", "gender");
        }
        assertThat(json.readTree(apiGet("/api/v1/customers?phone=" + other).getBody()).get("customers")).isEmpty();
        // A caller that asks for Chinese reads the reasons in Chinese; the fields are the same.
        HttpHeaders chinese = new HttpHeaders();
        chinese.setBearerAuth(apiKey());
        chinese.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        chinese.set(HttpHeaders.ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.8");
        JsonNode inChinese = json.readTree(rest.exchange("/api/v1/customers", HttpMethod.POST, new org.springframework.http.HttpEntity<>(
                Map.of("phone", other, "registeredAt", "0202-05-01", "gender", "?"), chinese), String.class).getBody());
        assertThat(inChinese.get("errors").findValuesAsText("reason"))
                .containsExactlyInAnyOrder("不是 1950 年以后的过去时间", "不是 女/男/其他");
        assertThat(inChinese.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("registeredAt", "gender");
        assertThat(jdbc.queryForObject("select registered_at from customer where id = ?", java.sql.Timestamp.class, id)
                .toInstant()).isEqualTo(Instant.parse("2022-01-15T02:30:00Z"));

        // A change says it as well, in the customer's zone; refused, it changes nothing.
        ResponseEntity<String> wrongPatch = api(HttpMethod.PATCH, "/api/v1/customers/" + id,
                Map.of("registeredAt", "2099-01-01", "city", "无锡"));
        assertThat(wrongPatch.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(wrongPatch.getBody()).get("errors").findValuesAsText("field")).containsExactly("registeredAt");
        ResponseEntity<String> patched = api(HttpMethod.PATCH, "/api/v1/customers/" + id, Map.of("registeredAt", "2020-02-02"));
        assertThat(Instant.parse(json.readTree(patched.getBody()).get("registeredAt").asText()))
                .isEqualTo(Instant.parse("2020-02-01T16:00:00Z"));
        assertThat(json.readTree(patched.getBody()).path("city").isNull()).isTrue();
    }

    @Test
    void theHomeStoreGivesTheTimezoneAndTheAdvisorIsOneOfItsStaff() throws Exception {
        String code = "U" + Long.toString(System.nanoTime(), 36);
        long store = catalog.upsertStore(new StoreDraft(code, "乌鲁木齐店", "西北", "乌鲁木齐", "Asia/Urumqi", null, true)).id();
        long advisor = catalog.upsertStaff(store, new StaffDraft("A01", "张顾问", "advisor", true)).id();
        ResponseEntity<String> created = apiPost("/api/v1/customers", Map.of("phone", TestPhones.fresh(),
                "registrationStoreId", store, "homeStoreId", store, "advisorStaff", "A01"));
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        JsonNode body = json.readTree(created.getBody());
        assertThat(body.get("timezone").asText()).isEqualTo("Asia/Urumqi");
        assertThat(body.get("advisorStaffId").asLong()).isEqualTo(advisor);
        assertThat(body.get("registrationStoreId").asLong()).isEqualTo(store);

        ResponseEntity<String> refused = apiPost("/api/v1/customers", Map.of("phone", TestPhones.fresh(),
                "registrationStoreId", 987654321, "homeStoreId", 987654321, "advisorStaff", "nobody"));
        assertThat(json.readTree(refused.getBody()).get("errors").findValuesAsText("field"))
                .contains("registrationStoreId", "homeStoreId", "advisorStaff");
        assertThatThrownBy(() -> customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), 987654321L, "pos"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.errors())
                        .extracting(ApiProblem.FieldError::field).containsExactly("registrationStoreId"));
    }

    @Test
    void aChangedPhoneReplacesTheOldOneAndAPhoneOfSomeoneElseMakesADuplicate() {
        String old = TestPhones.fresh();
        String changed = TestPhones.fresh();
        long id = customers.resolveOrCreate(Identity.ofPhone(old), null, "pos");
        profiles.update(id, new ProfileChange(null, changed, null, null, null, null, null, null, null, null, null, null));
        assertThat(customers.find(Identity.ofPhone(changed))).contains(id);
        assertThat(customers.find(Identity.ofPhone(old))).isEmpty();

        long other = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        profiles.update(other, new ProfileChange(null, changed, null, null, null, null, null, null, null, null, null, null));
        assertThat(customers.find(Identity.ofPhone(changed))).contains(id); // not taken away from its owner
        assertThat(duplicates.candidates(1000)).anySatisfy(c -> {
            assertThat(List.of(c.first().id(), c.second().id())).containsExactlyInAnyOrder(id, other);
            assertThat(c.shared()).isEqualTo("phone");
        });
        String events = jdbc.queryForObject("select string_agg(payload::jsonb::text, ' ') from event_feed where customer_id in (?, ?)",
                String.class, id, other);
        assertThat(events).contains("\"changed\": [\"phone\"]").doesNotContain(old).doesNotContain(changed);
    }

    @Test
    void badInputIsRefusedNamingEveryFieldAndSavesNothing() throws Exception {
        String phone = TestPhones.fresh();
        ResponseEntity<String> refused = apiPost("/api/v1/customers", Map.of("phone", phone, "birthday", "1990-13-40",
                "gender", "x", "consents", List.of(Map.of("channel", "fax", "purpose", "marketing", "granted", true))));
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json.readTree(refused.getBody()).get("errors").findValuesAsText("field"))
                .contains("birthday", "gender", "consents[0].channel");
        assertThat(customers.find(Identity.ofPhone(phone))).isEmpty();

        ResponseEntity<String> badPhone = apiPost("/api/v1/customers", Map.of("phone", "12345-secret"));
        assertThat(badPhone.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(badPhone.getBody()).contains("\"phone\"").doesNotContain("secret");

        ResponseEntity<String> unknown = apiPost("/api/v1/customers", Map.of("phone", phone, "nickname", "x"));
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(apiGet("/api/v1/customers/987654321").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aCustomFieldDefinedAtRunTimeIsValidatedAndStoredAtOnce() throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String skin = "skin_" + suffix;
        String size = "size_" + suffix;
        assertThat(apiPost("/api/v1/custom-fields", Map.of("key", skin, "labelZh", "肤质", "labelEn", "Skin type",
                "type", "choice", "choices", List.of("干性", "油性", "混合"))).getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(apiPost("/api/v1/custom-fields", Map.of("key", size, "labelZh", "鞋码", "type", "number",
                "required", true)).getStatusCode()).isEqualTo(HttpStatus.CREATED);
        try {
            String phone = TestPhones.fresh();
            ResponseEntity<String> bad = apiPost("/api/v1/customers",
                    Map.of("phone", phone, "custom", Map.of(skin, "中性", size, "forty")));
            assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(json.readTree(bad.getBody()).get("errors").findValuesAsText("field"))
                    .containsExactlyInAnyOrder("custom." + skin, "custom." + size);

            ResponseEntity<String> missing = apiPost("/api/v1/customers", Map.of("phone", phone, "custom", Map.of(skin, "油性")));
            assertThat(json.readTree(missing.getBody()).get("errors").findValuesAsText("field")).containsExactly("custom." + size);

            ResponseEntity<String> ok = apiPost("/api/v1/customers", Map.of("phone", phone, "custom", Map.of(skin, "油性", size, "38.5")));
            assertThat(ok.getStatusCode()).isEqualTo(HttpStatus.CREATED);
            long id = json.readTree(ok.getBody()).get("id").asLong();
            assertThat(profiles.profile(id).orElseThrow().custom())
                    .containsEntry(skin, "油性").containsEntry(size, new java.math.BigDecimal("38.5"));

            fields.deactivate(size);
            assertThat(fields.definitions()).extracting(CustomField::key).contains(skin).doesNotContain(size);
            profiles.update(id, ProfileChange.custom(Map.of(skin, "干性")));
            assertThat(profiles.profile(id).orElseThrow().custom())
                    .containsEntry(skin, "干性").containsKey(size); // a deactivated field's value is kept
        } finally {
            fields.deactivate(size);
            fields.deactivate(skin);
        }
    }

    @Test
    void consentHistoryKeepsEveryChangeAndTheLatestWins() throws Exception {
        long id = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(consents.mayContact(id, "sms", "marketing")).isFalse();
        consents.record(id, new ConsentChange("sms", "marketing", true, t0, "pos", "v1", "form 17"));
        assertThat(consents.mayContact(id, "sms", "marketing")).isTrue();

        ResponseEntity<String> refused = apiPost("/api/v1/customers/" + id + "/consents", Map.of("channel", "sms",
                "purpose", "marketing", "granted", false, "at", "2025-06-01T00:00:00Z", "source", "sms-reply"));
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        // An answer that reaches us late but was given earlier does not override the newer one.
        consents.record(id, new ConsentChange("sms", "marketing", true, Instant.parse("2025-03-01T00:00:00Z"), "import", null, null));
        consents.record(id, new ConsentChange("wechat", "service", true, t0, "miniapp", null, null));
        consents.record(id, new ConsentChange("wechat", "service", true, t0, "miniapp", null, null)); // a retry

        assertThat(consents.history(id)).hasSize(4);
        assertThat(consents.current(id)).hasSize(2);
        assertThat(consents.mayContact(id, "sms", "marketing")).isFalse();
        assertThat(consents.current(id)).filteredOn(c -> c.channel().equals("sms")).singleElement()
                .satisfies(c -> assertThat(c.source()).isEqualTo("sms-reply"));
        assertThat(consents.mayContact(id, "email", "service")).isTrue();

        ResponseEntity<String> bad = apiPost("/api/v1/customers/" + id + "/consents", Map.of("channel", "fax", "purpose", "x"));
        assertThat(json.readTree(bad.getBody()).get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("channel", "purpose", "granted");
    }

    @Test
    void mergingMovesIdentitiesAndLookupsFindTheSurvivor() throws Exception {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long byCard = customers.resolveOrCreate(Identity.ofCard(card), null, "pos");
        profiles.update(byCard, new ProfileChange("王芳", null, null, null, "1985-07-01", null, null, "北京", null, null, null, null));
        long byPhone = customers.resolveOrCreate(Identity.ofPhone(phone), null, "miniapp");
        consents.record(byPhone, new ConsentChange("sms", "marketing", true, Instant.parse("2025-01-01T00:00:00Z"), "pos", null, null));
        consents.record(byCard, new ConsentChange("sms", "marketing", false, Instant.parse("2025-02-01T00:00:00Z"), "pos", null, null));

        // Both given together: the phone's customer is found, the card stays its owner's → a duplicate pair.
        assertThat(customers.resolveOrCreate(new Identity(phone, card, null, null, null, null), null, "pos")).isEqualTo(byPhone);
        assertThat(duplicates.candidates(1000)).anySatisfy(c -> {
            assertThat(List.of(c.first().id(), c.second().id())).containsExactlyInAnyOrder(byCard, byPhone);
            assertThat(c.shared()).isEqualTo("card");
        });
        JsonNode listed = json.readTree(apiGet("/api/v1/customers/duplicates?limit=1000").getBody());
        assertThat(listed.findValuesAsText("shared")).contains("card");

        List<Object> published = new CopyOnWriteArrayList<>();
        context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<CustomerMerged>>) e -> published.add(e.getPayload()));
        ResponseEntity<String> merged = apiPost("/api/v1/customers/merge", Map.of("survivorId", byPhone, "mergedId", byCard));
        assertThat(merged.getStatusCode()).isEqualTo(HttpStatus.OK);

        assertThat(customers.find(Identity.ofCard(card))).contains(byPhone);
        assertThat(customers.resolveOrCreate(Identity.ofCard(card), null, "pos")).isEqualTo(byPhone);
        assertThat(customers.summary(byCard)).get().extracting(CustomerSummary::id).isEqualTo(byPhone);
        CustomerProfile survivor = profiles.profile(byCard).orElseThrow();
        assertThat(survivor.id()).isEqualTo(byPhone);
        assertThat(survivor.name()).isEqualTo("王芳"); // an empty field filled from the merged customer
        assertThat(survivor.city()).isEqualTo("北京");
        assertThat(survivor.identities()).extracting(CustomerProfile.KnownIdentity::kind).contains("phone", "card");
        assertThat(consents.mayContact(byPhone, "sms", "marketing")).isFalse(); // the latest answer wins
        assertThat(published).contains(new CustomerMerged(byPhone, byCard));
        assertThat(jdbc.queryForObject("select count(*) from event_feed where type = 'customer.merged' and customer_id = ?"
                + " and payload::jsonb = jsonb_build_object('survivor', ?::bigint, 'merged', ?::bigint)", Long.class,
                byPhone, byPhone, byCard)).isEqualTo(1);
        assertThat(duplicates.candidates(1000)).noneSatisfy(c ->
                assertThat(List.of(c.first().id(), c.second().id())).contains(byCard));
        assertThat(profiles.searchByCard(card)).extracting(CustomerSummary::id).containsExactly(byPhone);

        assertThatThrownBy(() -> duplicates.merge(byPhone, byCard)).isInstanceOfSatisfying(ApiProblem.class,
                p -> assertThat(p.status()).isEqualTo(HttpStatus.CONFLICT));
        assertThat(apiPost("/api/v1/customers/merge", Map.of("survivorId", byPhone, "mergedId", byPhone))
                .getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(apiPost("/api/v1/customers/merge", Map.of("survivorId", byCard, "mergedId", byPhone))
                .getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void aProfileChangeMadeWhileItsCustomerIsBeingMergedLandsOnTheSurvivor() throws Exception {
        long merged = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        long survivor = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        CountDownLatch mergedButOpen = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> merge = pool.submit(() -> tx.executeWithoutResult(s -> {
                duplicates.merge(survivor, merged);
                mergedButOpen.countDown();
                awaitQuietly(commit);
            }));
            mergedButOpen.await();
            // The change reads where the customer lives before the merge commits, then waits for its lock.
            Future<CustomerProfile> change = pool.submit(() -> profiles.update(merged,
                    new ProfileChange(null, null, null, null, null, null, null, "杭州", null, null, null, null)));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) > 0);
            commit.countDown();
            merge.get();
            assertThat(change.get().id()).isEqualTo(survivor);
        } finally {
            pool.shutdownNow();
        }
        assertThat(profiles.profile(survivor).orElseThrow().city()).isEqualTo("杭州");
    }

    /**
     * A till recognises a customer by phone with a member card no one has yet, and before it holds the
     * customer the console types the same card into that customer's profile. The edit used to lock the
     * customer and then claim the card, the reverse of the till (claim, then hold): each waited for
     * the other until PostgreSQL aborted one.
     */
    @Test
    void aCardTypedIntoAProfileWhileATillGivesTheSameCardLetsBothFinish() throws Exception {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long id = customers.resolveOrCreate(Identity.ofPhone(phone), null, "pos");

        whileATillClaimsTheCard(phone, card, () -> profiles.update(id, cardNo(card)));

        assertThat(customers.find(Identity.ofCard(card))).contains(id);
        assertThat(profiles.profile(id).orElseThrow().cardNo()).isEqualTo(card);
    }

    /** The same with a registration carrying the card on its profile: it held the customer before claiming. */
    @Test
    void aRegistrationGivingACardWhileATillGivesTheSameCardLetsBothFinish() throws Exception {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long id = customers.resolveOrCreate(Identity.ofPhone(phone), null, "pos");

        whileATillClaimsTheCard(phone, card, () -> profiles.register(
                new Registration(Identity.ofPhone(phone), null, "console", cardNo(card), null)));

        assertThat(customers.find(Identity.ofCard(card))).contains(id);
        assertThat(profiles.profile(id).orElseThrow().cardNo()).isEqualTo(card);
    }

    private static ProfileChange cardNo(String card) {
        return new ProfileChange(null, null, card, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Runs the edit while a till's transaction has recognised the customer of the phone with the (new)
     * card, claiming it, and lets the till hold its customer only once the edit waits; both must finish.
     */
    private void whileATillClaimsTheCard(String phone, String card, Callable<?> edit) throws Exception {
        CountDownLatch recognised = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Map<Long, Long>> till = pool.submit(() -> tx.execute(s -> {
                Map<Identity, Long> ids = customers.resolveOrCreateAll(
                        List.of(new Identity(phone, card, null, null, null, null)), null, "pos");
                recognised.countDown();
                awaitQuietly(release);
                return customers.holdLiving(ids.values());
            }));
            assertThat(recognised.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> editing = pool.submit(edit);
            await().atMost(Duration.ofSeconds(10)).until(() -> editing.isDone()
                    || jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) > 0);
            release.countDown();
            till.get(20, TimeUnit.SECONDS);
            editing.get(20, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
