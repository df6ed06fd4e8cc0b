package app.regulars.demo;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Generated data goes in through the real intake, and a second run with the same seed adds nothing. */
class GenerationTest extends IntegrationTest {

    @Autowired Generation generation;
    @Autowired JdbcClient db;
    @Autowired Catalog catalog;
    @Autowired FirstStartDemo demo;

    @Test
    void generatingTwiceWithTheSameSeedAddsNothing() {
        long seed = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        Generation.Progress first = generation.run(seed, 40, 400, 3, p -> {});
        long receipts = demoReceipts(seed);
        long customers = db.sql("select count(*) from customer").query(Long.class).single();

        Generation.Progress second = generation.run(seed, 40, 400, 3, p -> {});

        assertThat(first.created()).isEqualTo(first.receiptsSent()).isGreaterThan(400);
        assertThat(receipts).isEqualTo(first.receiptsSent());
        assertThat(second.receiptsSent()).isEqualTo(first.receiptsSent());
        assertThat(second.created()).isZero();
        assertThat(demoReceipts(seed)).isEqualTo(receipts);
        assertThat(db.sql("select count(*) from customer").query(Long.class).single()).isEqualTo(customers);
    }

    @Test
    void generatedReceiptsReachTheirCustomersStoresAndCategories() {
        long seed = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        generation.run(seed, 20, 400, 2, p -> {});
        String prefix = prefix(seed);
        assertThat(catalog.storeByCode("SH-01")).isPresent();
        assertThat(catalog.category("skincare").orElseThrow().repurchaseCycleDays()).isEqualTo(45);
        assertThat(catalog.category("furniture").orElseThrow().careCycleDays()).isEqualTo(180);
        long refunds = db.sql("select count(*) from receipt where source = 'demo' and receipt_no like ? and kind = 'refund'")
                .param(prefix + "%").query(Long.class).single();
        long withCustomer = db.sql("select count(distinct customer_id) from receipt where source = 'demo' and receipt_no like ?")
                .param(prefix + "%").query(Long.class).single();
        long uncategorised = db.sql("""
                select count(*) from receipt_line l join receipt r on r.id = l.receipt_id
                where r.source = 'demo' and r.receipt_no like ? and l.category_code is null
                """).param(prefix + "%").query(Long.class).single();
        assertThat(withCustomer).isGreaterThan(10);
        assertThat(uncategorised).isZero();
        assertThat(refunds).isPositive();
        long withoutProfile = db.sql("""
                select count(*) from customer where gender is null and id in
                    (select customer_id from receipt where source = 'demo' and receipt_no like ?)
                """).param(prefix + "%").query(Long.class).single();
        assertThat(withoutProfile).isZero();
        // Shoppers joined at their first purchase, years back for some, not on the day of the load.
        long joinedElsewhen = db.sql("""
                select count(*) from customer c
                where c.id in (select customer_id from receipt where source = 'demo' and receipt_no like ?)
                  and c.registered_at <> (select min(r.purchased_at) from receipt r where r.customer_id = c.id)
                """).param(prefix + "%").query(Long.class).single();
        assertThat(joinedElsewhen).isZero();
    }

    @Test
    void theDemoStoreIsNotLoadedInTests() {
        assertThat(demo.wanted()).isFalse();
    }

    @Test
    void aLoadedDemoStoreIsMarkedSoItNeverLoadsTwice() {
        db.sql("delete from app_setting where key = ?").param(FirstStartDemo.SETTING).update();
        assertThat(demo.loaded()).isFalse();

        demo.load(10, 100);

        assertThat(demo.loaded()).isTrue();
        assertThat(db.sql("select value from app_setting where key = ?").param(FirstStartDemo.SETTING)
                .query(String.class).single()).startsWith("seed=" + FirstStartDemo.SEED);
    }

    private long demoReceipts(long seed) {
        return db.sql("select count(*) from receipt where source = 'demo' and receipt_no like ?")
                .param(prefix(seed) + "%").query(Long.class).single();
    }

    private static String prefix(long seed) {
        return "D" + Long.toString(seed, 36).toUpperCase() + "-";
    }
}
