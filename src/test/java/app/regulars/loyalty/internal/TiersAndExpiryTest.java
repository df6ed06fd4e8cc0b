package app.regulars.loyalty.internal;

import static app.regulars.loyalty.LoyaltyFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import app.regulars.loyalty.LoyaltyFixtures;
import app.regulars.loyalty.LoyaltyProgram;
import app.regulars.loyalty.PointsAccounts;
import app.regulars.loyalty.PointsLedger;
import app.regulars.loyalty.internal.Ledger.NewLot;
import app.regulars.loyalty.internal.Ledger.Source;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Tiers move up on the receipt and down only at reviews; lots expire once, reminders go out once. */
class TiersAndExpiryTest extends IntegrationTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired PointsAccounts accounts;
    @Autowired PointsLedger ledger;
    @Autowired LoyaltyProgram programme;
    @Autowired LoyaltySchedule schedule;
    @Autowired TierKeeper tiers;
    @Autowired Ledger entries;
    @Autowired Customers customers;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcTemplate jdbc;

    final Instant now = Instant.now();
    final LocalDate today = LocalDate.ofInstant(now, SHANGHAI);

    @Test
    void aTierIsReachedAtOnceAndLeftOnlyAtTheReviewOneLevelAtATime() {
        long customer = customer();
        spend(customer, today, 8_500_00); // gold at once
        assertThat(ledger.account(customer).tierCode()).isEqualTo("gold");

        schedule.reviewCustomer(customer, now.plus(Duration.ofDays(200)));
        assertThat(ledger.account(customer).tierCode()).as("no review before the anniversary").isEqualTo("gold");

        Instant review = now.plus(Duration.ofDays(366));
        schedule.reviewCustomer(customer, review);
        assertThat(ledger.account(customer).tierCode()).as("one level down at the review").isEqualTo("silver");
        assertThat(tierEvents(customer)).containsExactly("up:gold", "down:silver");

        schedule.reviewCustomer(customer, review.plus(Duration.ofDays(366)));
        assertThat(ledger.account(customer).tierCode()).isEqualTo("basic");
    }

    @Test
    void aMemberJustBelowTheThresholdKeepsTheTierThroughTheGraceShare() {
        long customer = customer();
        spend(customer, today, 2_100_00);
        assertThat(ledger.account(customer).tierCode()).isEqualTo("silver");
        // In the 12 months before the review: ¥1,900, within 10 % of silver's ¥2,000.
        tx.executeWithoutResult(s -> tiers.record(customer, today.plusDays(300), 1_900_00, 0));

        schedule.reviewCustomer(customer, now.plus(Duration.ofDays(366)));

        assertThat(ledger.account(customer).tierCode()).isEqualTo("silver");
        assertThat(ledger.account(customer).reviewOn()).isEqualTo(today.plusYears(2).toString());
    }

    @Test
    void aManualTierHoldsUntilItsEndDateThenTheQualifiedTierApplies() {
        long customer = customer();
        spend(customer, today, 2_500_00);
        ledger.setManualTier(customer, "black", now.plus(Duration.ofDays(10)), "VIP launch guest");
        assertThat(ledger.account(customer).tierCode()).isEqualTo("black");

        schedule.reviewCustomer(customer, now.plus(Duration.ofDays(5)));
        assertThat(ledger.account(customer).tierCode()).isEqualTo("black");
        schedule.reviewCustomer(customer, now.plus(Duration.ofDays(11)));

        assertThat(ledger.account(customer).tierCode()).isEqualTo("silver");
        assertThat(ledger.account(customer).manualTierUntil()).isNull();
    }

    @Test
    void dueLotsExpireOnceHoweverOftenTheRunComesBy() {
        long customer = customer();
        tx.executeWithoutResult(s -> {
            entries.credit(customer, "earn", "t", unique("k"), null, now, List.of(new NewLot(40, now, now.plusSeconds(3600))),
                    Map.of(), "test");
            entries.credit(customer, "earn", "t", unique("k"), null, now, List.of(new NewLot(60, now, null)), Map.of(), "test");
        });
        Instant later = now.plus(Duration.ofDays(1));

        assertThat(schedule.expireCustomer(customer, later)).isEqualTo(40);
        assertThat(schedule.expireCustomer(customer, later)).isZero(); // a restarted or second run
        assertThat(schedule.expireCustomer(customer, later.plus(Duration.ofDays(3650)))).isZero();

        assertThat(ledger.account(customer).balance()).isEqualTo(60);
        assertThat(jdbc.queryForObject("select count(*) from points_entry where customer_id = ? and kind = 'expire'",
                Integer.class, customer)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from event_feed where topic = 'loyalty' and type = 'points.expired' and customer_id = ?",
                Integer.class, customer)).isEqualTo(1);
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    @Test
    void pointsAboutToExpireAreAnnouncedOncePerExpiryDay() {
        long customer = customer();
        tx.executeWithoutResult(s -> entries.credit(customer, "earn", "t", unique("k"), null, now,
                List.of(new NewLot(25, now, now.plus(Duration.ofDays(10)))), Map.of(), "test"));

        schedule.remind(now);
        schedule.remind(now.plusSeconds(60));

        assertThat(jdbc.queryForList("""
                select payload->>'points' from event_feed where topic = 'loyalty' and type = 'points.expiring' and customer_id = ?""",
                String.class, customer)).containsExactly("25");
    }

    @Test
    void underTheNegativePolicyARefundOfSpentPointsIsDebtRepaidByLaterEarnings() {
        long customer = customer();
        tx.executeWithoutResult(s -> {
            entries.credit(customer, "earn", "t", unique("k"), 1L, now, List.of(new NewLot(100, now, null)), Map.of(), "test");
            entries.debit(customer, "spend", 80, "t", unique("k"), null, now, Source.SPENDABLE, Map.of(), "test");
            entries.reverse(customer, 100, "refund", unique("k"), 1L, now, true, Map.of());
        });
        assertThat(ledger.account(customer).balance()).isEqualTo(-80);
        assertThat(ledger.account(customer).debt()).isEqualTo(80);

        tx.executeWithoutResult(s -> entries.credit(customer, "earn", "t", unique("k"), null, now,
                List.of(new NewLot(50, now, null)), Map.of(), "test"));
        assertThat(ledger.account(customer).balance()).isEqualTo(-30);
        assertThat(accounts.spendable(customer)).isZero();

        tx.executeWithoutResult(s -> entries.credit(customer, "earn", "t", unique("k"), null, now,
                List.of(new NewLot(50, now, null)), Map.of(), "test"));
        assertThat(ledger.account(customer).balance()).isEqualTo(20);
        assertThat(ledger.account(customer).debt()).isZero();
        assertThat(accounts.spendable(customer)).isEqualTo(20);
        assertThat(ledger.verify(customer).problems()).isEmpty();
    }

    /** A receipt's effect on the tier, as the earning consumer records it. */
    private void spend(long customer, LocalDate day, long cents) {
        LoyaltyProgram.Settings s = programme.settings();
        List<LoyaltyProgram.Tier> all = programme.tiers();
        tx.executeWithoutResult(t -> {
            Ledger.AccountRow account = entries.lock(customer, now);
            tiers.record(customer, day, cents, cents / 100);
            tiers.upgradeIfReached(customer, TierKeeper.byCode(all, account.tierCode()), now, SHANGHAI, s, all);
        });
    }

    private List<String> tierEvents(long customer) {
        return jdbc.queryForList("""
                select (payload->>'direction') || ':' || (payload->>'to') from event_feed
                where topic = 'loyalty' and type = 'tier.changed' and customer_id = ? order by id""", String.class, customer);
    }

    private long customer() {
        return customers.resolveOrCreate(Identity.ofPhone(LoyaltyFixtures.phone()), null, null);
    }
}
