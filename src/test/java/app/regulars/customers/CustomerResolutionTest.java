package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import app.regulars.platform.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class CustomerResolutionTest extends IntegrationTest {

    @Autowired Customers customers;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired Duplicates duplicates;
    @Autowired Catalog catalog;
    @Autowired DataSource dataSource;

    @Test
    void theSamePhoneInAnyFormatResolvesToOneCustomer() {
        String phone = TestPhones.fresh();
        String spaced = "+86 " + phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7);
        String dashed = "0086-" + phone.substring(0, 3) + "-" + phone.substring(3);

        long first = customers.resolveOrCreate(Identity.ofPhone(phone), null, "pos");
        assertThat(customers.resolveOrCreate(Identity.ofPhone(spaced), null, "pos")).isEqualTo(first);
        assertThat(customers.resolveOrCreate(Identity.ofPhone(dashed), null, "pos")).isEqualTo(first);
        assertThat(customers.resolveOrCreate(Identity.ofPhone("86" + phone), null, "pos")).isEqualTo(first);
        assertThat(customers.find(Identity.ofPhone(spaced))).contains(first);
        assertThat(customers.summary(first)).get().extracting(CustomerSummary::phoneMasked)
                .isEqualTo(phone.substring(0, 3) + "****" + phone.substring(7));
        assertThat(customers.reveal(first, "phone")).contains(phone);
    }

    @Test
    void aHeldCustomerIsTheLivingOneAndAMergeWaitsForItsHolder() throws Exception {
        long survivor = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        long merged = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        long other = customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
        duplicates.merge(survivor, merged);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Map<Long, Long>> holder = pool.submit(() -> tx.execute(s -> {
                Map<Long, Long> living = customers.holdLiving(List.of(merged, other, 999_999_999L));
                held.countDown();
                awaitQuietly(release);
                return living;
            }));
            held.await();
            Future<?> merge = pool.submit(() -> duplicates.merge(survivor, other));
            await().atMost(Duration.ofSeconds(10)).until(() -> merge.isDone()
                    || jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) > 0);
            assertThat(merge.isDone()).as("the merge waits for the holder").isFalse();
            release.countDown();
            assertThat(holder.get()).isEqualTo(Map.of(merged, survivor, other, other));
            merge.get();
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> customers.holdLiving(List.of(survivor)))
                .as("a hold outside a transaction would end at once").isInstanceOf(RuntimeException.class);
    }

    /**
     * A batch recognises two customers, one arriving with a card its profile lacks, and a merge of the
     * two runs before the batch holds them (as the receipts intake does: recognise, then hold). The
     * card used to be written at recognition, locking the merged customer first: the merge, holding the
     * survivor, waited for it, and the batch's hold then waited for the survivor.
     */
    @Test
    void aMergeBetweenRecognisingAndHoldingCustomersLetsBothFinishAndTheCardReachesTheSurvivor() throws Exception {
        String survivorPhone = TestPhones.fresh();
        String mergedPhone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long survivor = customers.resolveOrCreate(Identity.ofPhone(survivorPhone), null, "pos");
        long merged = customers.resolveOrCreate(Identity.ofPhone(mergedPhone), null, "pos");
        CountDownLatch recognised = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Map<Long, Long>> batch = pool.submit(() -> tx.execute(s -> {
                Map<Identity, Long> ids = customers.resolveOrCreateAll(List.of(Identity.ofPhone(survivorPhone),
                        new Identity(mergedPhone, card, null, null, null, null)), null, "pos");
                recognised.countDown();
                awaitQuietly(release);
                return customers.holdLiving(ids.values());
            }));
            assertThat(recognised.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Future<?> merge = pool.submit(() -> duplicates.merge(survivor, merged));
            await().atMost(Duration.ofSeconds(10)).until(() -> merge.isDone()
                    || jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) > 0);
            release.countDown();
            merge.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(batch.get(20, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(Map.of(survivor, survivor, merged, survivor));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(customers.find(Identity.ofCard(card))).contains(survivor);
        assertThat(customers.summary(survivor)).get().extracting(CustomerSummary::cardNo).isEqualTo(card);
    }

    /**
     * Two batches bring the same two new member cards, crossing: each has one card alone (a new
     * customer, registered at a store) and the other with a known customer's phone. A third transaction
     * holds the store, so each batch has claimed what it claims first when the two go on. Cards alone
     * were claimed in one statement and cards with a phone in the next: each batch then had one card
     * and waited for the other's, until PostgreSQL aborted one (a 503 at the till).
     */
    @Test
    void twoBatchesCrossingNewCardsAloneAndWithAPhoneBothFinishWithOneCustomerPerCard() throws Exception {
        Store store = StoreFixtures.create(catalog, "ID" + Long.toString(System.nanoTime(), 36).toUpperCase());
        String phone1 = TestPhones.fresh();
        String phone2 = TestPhones.fresh();
        long first = customers.resolveOrCreate(Identity.ofPhone(phone1), null, "pos");
        long second = customers.resolveOrCreate(Identity.ofPhone(phone2), null, "pos");
        String card1 = TestPhones.freshCard();
        String card2 = TestPhones.freshCard();
        Customers.Origin origin = new Customers.Origin(store.id(), "pos");
        Map<Identity, Customers.Origin> one = new LinkedHashMap<>();
        one.put(Identity.ofCard(card1), origin);
        one.put(new Identity(phone2, card2, null, null, null, null), origin);
        Map<Identity, Customers.Origin> other = new LinkedHashMap<>();
        other.put(Identity.ofCard(card2), origin);
        other.put(new Identity(phone1, card1, null, null, null, null), origin);

        Map<Identity, Long> oneIds;
        Map<Identity, Long> otherIds;
        try (ExecutorService pool = Executors.newFixedThreadPool(2); java.sql.Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select id from store where id = " + store.id() + " for update");
            var oneRun = CompletableFuture.supplyAsync(() -> recogniseAndHold(one), pool);
            var otherRun = CompletableFuture.supplyAsync(() -> recogniseAndHold(other), pool);
            await().atMost(Duration.ofSeconds(10)).until(() -> oneRun.isDone() || otherRun.isDone()
                    || jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) >= 2);
            holder.commit();
            oneIds = oneRun.get(20, TimeUnit.SECONDS);
            otherIds = otherRun.get(20, TimeUnit.SECONDS);
        }

        assertThat(oneIds.get(new Identity(phone2, card2, null, null, null, null))).isEqualTo(second);
        assertThat(otherIds.get(new Identity(phone1, card1, null, null, null, null))).isEqualTo(first);
        assertThat(customers.find(Identity.ofCard(card1))).contains(oneIds.get(Identity.ofCard(card1)));
        assertThat(customers.find(Identity.ofCard(card2))).contains(otherIds.get(Identity.ofCard(card2)));
    }

    /**
     * One till creates the customer of a phone; another brings the same phone with a new card while the
     * first has not committed. The second claims card and phone in one statement, so it wins the card
     * for a customer it then cannot create (the phone is the first's): the card goes to the first's.
     */
    @Test
    void aPhoneAndANewCardArrivingWhileAnotherTillCreatesThatPhonesCustomerEndWithOneCustomerHoldingBoth()
            throws Exception {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Long> first = pool.submit(() -> tx.execute(s -> {
                long id = customers.resolveOrCreate(Identity.ofPhone(phone), null, "pos");
                created.countDown();
                awaitQuietly(release);
                return id;
            }));
            assertThat(created.await(10, TimeUnit.SECONDS)).isTrue();
            Identity both = new Identity(phone, card, null, null, null, null);
            Future<Map<Identity, Long>> second = pool.submit(() -> recogniseAndHold(Map.of(both,
                    new Customers.Origin(null, "pos"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> second.isDone()
                    || jdbc.queryForObject("select count(*) from pg_locks where not granted", Long.class) > 0);
            release.countDown();
            long id = first.get(20, TimeUnit.SECONDS);
            assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(Map.of(both, id));
            assertThat(customers.find(Identity.ofCard(card))).contains(id);
            assertThat(customers.summary(id)).get().extracting(CustomerSummary::cardNo).isEqualTo(card);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** As the receipts intake does: recognise the batch's customers, then hold them. */
    private Map<Identity, Long> recogniseAndHold(Map<Identity, Customers.Origin> batch) {
        return tx.execute(s -> {
            Map<Identity, Long> ids = customers.resolveOrCreateAll(batch);
            customers.holdLiving(ids.values());
            return ids;
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void concurrentResolutionOfOneIdentityCreatesOneCustomer() throws Exception {
        String phone = TestPhones.fresh();
        int threads = 16;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<Long>> calls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String format = t % 2 == 0 ? phone : "+86 " + phone;
            calls.add(() -> {
                start.await();
                return tx.execute(s -> customers.resolveOrCreate(Identity.ofPhone(format), null, "pos"));
            });
        }
        Set<Long> ids = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Long> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from customer_identity where customer_id = ?", Long.class,
                ids.iterator().next())).isEqualTo(1);
    }

    @Test
    void concurrentBatchesSharingIdentitiesAgreeOnEveryCustomer() throws Exception {
        List<Identity> shared = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            shared.add(i % 2 == 0 ? Identity.ofPhone(TestPhones.fresh()) : Identity.ofCard(TestPhones.freshCard()));
        }
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        Map<Identity, Set<Long>> seen = new ConcurrentHashMap<>();
        List<Callable<Void>> calls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Identity> mine = new ArrayList<>(shared);
            java.util.Collections.shuffle(mine, new java.util.Random(t));
            calls.add(() -> {
                start.await();
                Map<Identity, Long> got = tx.execute(s -> customers.resolveOrCreateAll(mine, null, "import"));
                got.forEach((k, v) -> seen.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(v));
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Void> f : pool.invokeAll(calls)) {
                f.get();
            }
        }
        assertThat(seen).hasSize(200);
        assertThat(seen.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(seen.values().stream().map(s -> s.iterator().next()).distinct()).hasSize(200);
    }

    @Test
    void aPhoneAndACardArrivingTogetherBelongToOneCustomer() {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long id = customers.resolveOrCreate(new Identity(phone, " " + card.toLowerCase() + " ", null, null, null, null),
                null, "pos");
        assertThat(customers.find(Identity.ofCard(card))).contains(id);
        assertThat(customers.find(Identity.ofPhone(phone))).contains(id);
        assertThat(customers.summary(id)).get().extracting(CustomerSummary::cardNo).isEqualTo(card);
    }

    @Test
    void anUnnormalisablePhoneIsRefusedNamingTheField() {
        long before = jdbc.queryForObject("select count(*) from customer", Long.class);
        assertThatThrownBy(() -> customers.resolveOrCreate(Identity.ofPhone("12-not-a-phone-777"), null, "pos"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.errors()).extracting(ApiProblem.FieldError::field).containsExactly("customer.phone");
                    assertThat(p.getMessage()).startsWith("customer.phone: cannot be normalised").doesNotContain("777");
                });
        assertThatThrownBy(() -> customers.resolveOrCreate(new Identity(null, "  ", null, null, null, null), null, "pos"))
                .isInstanceOf(ApiProblem.class);
        assertThat(jdbc.queryForObject("select count(*) from customer", Long.class)).isEqualTo(before);
    }

    @Test
    void piiIsNotStoredInTheClear() {
        String phone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long id = customers.resolveOrCreate(new Identity(phone, card, null, null, null, null), null, "pos");

        String row = jdbc.queryForObject("select t::text from customer t where id = ?", String.class, id);
        List<String> identities = jdbc.queryForList("select t::text from customer_identity t where customer_id = ?",
                String.class, id);
        byte[] stored = jdbc.queryForObject("select phone from customer where id = ?", byte[].class, id);

        assertThat(row).doesNotContain(phone).doesNotContain(hex(phone)).doesNotContain(card).doesNotContain(hex(card));
        assertThat(identities).hasSize(2).allSatisfy(r -> assertThat(r)
                .doesNotContain(phone).doesNotContain(hex(phone)).doesNotContain(card).doesNotContain(hex(card)));
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(phone);
        assertThat(customers.reveal(id, "phone")).contains(phone);
    }

    private static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
