package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** registerAll: register's semantics per item, a batch at a time. */
class BulkRegistrationTest extends IntegrationTest {

    @Autowired CustomerProfiles profiles;
    @Autowired Consents consents;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired javax.sql.DataSource dataSource;

    private static Registration full(String phone, String name) {
        return new Registration(Identity.ofPhone(phone), null, "import",
                new ProfileChange(name, null, null, "女", "1988-02-29", null, "华东", "上海", null, null, null, null),
                List.of(new ConsentChange("sms", "marketing", true, Instant.parse("2026-01-05T08:00:00Z"), "paper-form",
                        "v3", null)));
    }

    @Test
    void registeringABatchTwiceCreatesEachCustomerOnce() {
        List<Registration> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(full(TestPhones.fresh(), "顾客" + i));
        }
        List<Registration.Outcome> first = tx.execute(s -> profiles.registerAll(batch));
        List<Registration.Outcome> second = tx.execute(s -> profiles.registerAll(batch));

        assertThat(first).allMatch(o -> o.created() && !o.refused());
        assertThat(second).noneMatch(Registration.Outcome::created);
        assertThat(second.stream().map(Registration.Outcome::customerId))
                .containsExactlyElementsOf(first.stream().map(Registration.Outcome::customerId).toList());
        long id = first.get(3).customerId();
        CustomerProfile profile = profiles.profile(id).orElseThrow();
        assertThat(profile.name()).isEqualTo("顾客3");
        assertThat(profile.gender()).isEqualTo("female");
        assertThat(profile.birthMmdd()).isEqualTo("0229");
        assertThat(profile.city()).isEqualTo("上海");
        assertThat(profile.registrationChannel()).isEqualTo("import");
        assertThat(consents.history(id)).hasSize(1); // the repeated answer is not stored again
        assertThat(consents.current(id).getFirst().source()).isEqualTo("paper-form");
        assertThat(jdbc.queryForObject("select count(*) from customer_identity where customer_id = ?", Long.class, id))
                .isEqualTo(1);
    }

    @Test
    void aBatchWithABadRowReportsThatRowByIndexAndSavesTheOthers() {
        String good = TestPhones.fresh();
        String bad = TestPhones.fresh();
        String later = TestPhones.fresh();
        Registration badRow = new Registration(Identity.ofPhone(bad), null, null,
                new ProfileChange("错", null, null, "unknown", "2999-01-01", null, null, null, null, null, null, null),
                List.of(new ConsentChange("fax", "marketing", true, null, null, null, null)));
        List<Registration.Outcome> outcomes = tx.execute(s -> profiles.registerAll(List.of(full(good, "甲"), badRow,
                new Registration(Identity.ofPhone("12"), null, null, null, null), full(later, "乙"))));

        assertThat(outcomes).extracting(Registration.Outcome::index).containsExactly(0, 1, 2, 3);
        assertThat(outcomes.get(1).refused()).isTrue();
        assertThat(outcomes.get(1).customerId()).isNull();
        assertThat(outcomes.get(1).errors()).extracting(e -> e.field())
                .containsExactlyInAnyOrder("gender", "birthday", "consents[0].channel");
        assertThat(outcomes.get(2).errors()).extracting(e -> e.field()).containsExactly("phone");
        assertThat(outcomes.get(1).errors().toString()).doesNotContain(bad);
        assertThat(profiles.searchByPhone(bad)).isEmpty();
        assertThat(profiles.searchByPhone(good)).hasSize(1);
        assertThat(profiles.searchByPhone(later)).hasSize(1);
        assertThat(outcomes.get(3).created()).isTrue();
    }

    @Test
    void aCustomerTwiceInOneBatchEndsAsTheLaterRowSays() {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        Registration first = new Registration(new Identity(phone, card, null, null, null, null), null, null,
                new ProfileChange("先", null, null, null, null, null, null, "北京", null, null, null, null), null);
        Registration second = new Registration(Identity.ofCard(card), null, null,
                new ProfileChange(null, null, null, null, null, null, null, "广州", null, null, null, null), null);
        List<Registration.Outcome> outcomes = tx.execute(s -> profiles.registerAll(List.of(first, second)));

        assertThat(outcomes.get(0).created()).isTrue();
        assertThat(outcomes.get(1).created()).isFalse();
        assertThat(outcomes.get(1).customerId()).isEqualTo(outcomes.get(0).customerId());
        CustomerProfile profile = profiles.profile(outcomes.get(0).customerId()).orElseThrow();
        assertThat(profile.city()).isEqualTo("广州");
        assertThat(profile.name()).isEqualTo("先");
    }

    @Test
    void registerIsABatchOfOneAndRefusesAsBefore() {
        String phone = TestPhones.fresh();
        Registration.Registered registered = profiles.register(full(phone, "单"));
        assertThat(registered.created()).isTrue();
        assertThat(registered.profile().name()).isEqualTo("单");
        assertThat(profiles.register(full(phone, "单")).created()).isFalse();
    }

    /**
     * Two import batches name the same two customers: each brings a card for one (its profile has none)
     * and a new name for the other, in opposite order. A third transaction holds both customers, so the
     * batches reach them together. The card used to be written while recognising, before the names
     * were written in id order: each batch then had one customer and waited for the other's.
     */
    @Test
    void twoBatchesRegisteringTheSameCustomersInOppositeOrderBothSucceed() throws Exception {
        String phone1 = TestPhones.fresh();
        String phone2 = TestPhones.fresh();
        String card1 = TestPhones.freshCard();
        String card2 = TestPhones.freshCard();
        long first = profiles.register(full(phone1, "甲")).profile().id();
        long second = profiles.register(full(phone2, "乙")).profile().id();
        List<Registration> one = List.of(withCard(phone2, card2), renamed(phone1, "甲一"));
        List<Registration> other = List.of(withCard(phone1, card1), renamed(phone2, "乙二"));

        List<Registration.Outcome> oneOutcomes;
        List<Registration.Outcome> otherOutcomes;
        try (ExecutorService pool = Executors.newFixedThreadPool(2);
             java.sql.Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select id from customer where id in (" + first + ", " + second
                    + ") for no key update");
            var oneRun = CompletableFuture.supplyAsync(() -> tx.execute(s -> profiles.registerAll(one)), pool);
            var otherRun = CompletableFuture.supplyAsync(() -> tx.execute(s -> profiles.registerAll(other)), pool);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> oneRun.isDone()
                    || otherRun.isDone()
                    || jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) >= 2);
            holder.commit();
            oneOutcomes = oneRun.get(20, java.util.concurrent.TimeUnit.SECONDS);
            otherOutcomes = otherRun.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }

        assertThat(oneOutcomes).extracting(Registration.Outcome::customerId).containsExactly(second, first);
        assertThat(otherOutcomes).extracting(Registration.Outcome::customerId).containsExactly(first, second);
        assertThat(profiles.profile(first).orElseThrow().cardNo()).isEqualTo(card1);
        assertThat(profiles.profile(second).orElseThrow().cardNo()).isEqualTo(card2);
        assertThat(profiles.profile(first).orElseThrow().name()).isEqualTo("甲一");
        assertThat(profiles.profile(second).orElseThrow().name()).isEqualTo("乙二");
    }

    private static Registration withCard(String phone, String card) {
        return new Registration(new Identity(phone, card, null, null, null, null), null, "import", null, null);
    }

    private static Registration renamed(String phone, String name) {
        return new Registration(Identity.ofPhone(phone), null, "import",
                new ProfileChange(name, null, null, null, null, null, null, null, null, null, null, null), null);
    }

    @Test
    void concurrentBatchesSharingPhonesCreateOneCustomerPerPhone() throws Exception {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            phones.add(TestPhones.fresh());
        }
        List<CompletableFuture<List<Registration.Outcome>>> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                List<Registration> batch = new ArrayList<>();
                // each batch in its own order: the fixed lock order inside, not the caller's, prevents deadlocks
                List<String> order = new ArrayList<>(phones);
                java.util.Collections.rotate(order, t * 53);
                if (t % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                order.forEach(p -> batch.add(full(p, "并发")));
                runs.add(CompletableFuture.supplyAsync(() -> tx.execute(s -> profiles.registerAll(batch)), pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get();
        }
        for (String phone : phones) {
            assertThat(profiles.searchByPhone(phone)).hasSize(1); // a second customer with it would show up too
        }
        long created = runs.stream().flatMap(r -> r.join().stream()).filter(Registration.Outcome::created).count();
        assertThat(created).isBetween((long) phones.size(), (long) phones.size() * 4);
        Map<Long, Long> perCustomer = new java.util.HashMap<>();
        runs.forEach(r -> r.join().forEach(o -> perCustomer.merge(o.customerId(), 1L, Long::sum)));
        assertThat(perCustomer).hasSize(phones.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(4L));
    }
}
