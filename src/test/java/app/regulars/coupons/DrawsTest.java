package app.regulars.coupons;

import static app.regulars.coupons.CouponFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.coupons.CouponFixtures.Spec;
import app.regulars.customers.Customers;
import app.regulars.loyalty.PointsAccounts;
import app.regulars.platform.ApiProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

class DrawsTest extends IntegrationTest {

    @Autowired Draws draws;
    @Autowired Customers customers;
    @Autowired Catalog catalog;
    @Autowired CouponTemplates templates;
    @Autowired PointsAccounts points; // on this branch the test-only InMemoryPointsAccounts

    @Test
    void concurrentDrawsNeverWinMoreThanTheStock() throws Exception {
        DrawCampaign campaign = draws.create(new CampaignDraft(unique("抽奖"), null, null, null, true, List.of(
                new PrizeDraft(null, "gift", "保温杯", null, null, "GIFT-CUP", 30_00L, 1_000_000, 5))));
        List<Callable<DrawResult>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long customer = CouponFixtures.customer(customers);
            DrawGrant grant = draws.grant(campaign.id(), customer, unique("g"), "journey");
            calls.add(() -> draws.play(grant.id()));
        }
        List<DrawResult> results = IssuanceTest.runTogether(calls);

        assertThat(results.stream().filter(r -> r.prizeId() != null)).hasSize(5);
        assertThat(results.stream().filter(r -> "stock".equals(r.shortfall()))).hasSize(35);
        assertThat(draws.find(campaign.id()).orElseThrow().prizes().getFirst().won()).isEqualTo(5);
    }

    @Test
    void aReplayedDrawReproducesItsOutcomeAlsoAfterTheOddsChanged() {
        CouponTemplate template = Spec.fixed(5_00).create(templates);
        DrawCampaign campaign = draws.create(new CampaignDraft(unique("抽奖"), null, null, null, true, List.of(
                new PrizeDraft(null, "points", "100积分", 100L, null, null, 1_00L, 300_000, null),
                new PrizeDraft(null, "coupon", "5元券", null, template.id(), null, null, 300_000, null))));
        List<DrawResult> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long customer = CouponFixtures.customer(customers);
            results.add(draws.play(draws.grant(campaign.id(), customer, unique("g"), "console").id()));
        }
        Prize first = campaign.prizes().getFirst();
        DrawCampaign changed = draws.update(campaign.id(), new CampaignDraft(campaign.name(), null, null, null, true,
                List.of(new PrizeDraft(first.id(), "points", "100积分", 100L, null, null, 1_00L, 900_000, null))));
        assertThat(changed.tableVersion()).isEqualTo(2);

        for (DrawResult r : results) {
            DrawReplay replay = draws.replay(r.drawId());
            assertThat(replay.reproduced()).as("draw %d", r.drawId()).isTrue();
            assertThat(replay.replayedPickedPrizeId()).isEqualTo(r.pickedPrizeId());
            assertThat(replay.tableVersion()).isEqualTo(1);
        }
        // Each prize went where it should: points through the loyalty API, coupons as coupons.
        for (DrawResult r : results) {
            if ("points".equals(r.prizeKind())) {
                assertThat(points.spendable(r.customerId())).isEqualTo(100);
            } else if ("coupon".equals(r.prizeKind())) {
                assertThat(r.couponCode()).isNotBlank();
            }
        }
        assertThat(results.stream().map(DrawResult::prizeKind).distinct().count()).isGreaterThan(1);
    }

    @Test
    void aDrawBoughtWithPointsSpendsThemOnceAndIsRefusedWhenTheBalanceIsShort() {
        DrawCampaign campaign = draws.create(new CampaignDraft(unique("积分抽奖"), null, 50L, null, true, List.of(
                new PrizeDraft(null, "gift", "帆布袋", null, null, "GIFT-BAG", 10_00L, 500_000, null))));
        long customer = CouponFixtures.customer(customers);
        points.award(customer, 80, "test", unique("seed"));

        DrawResult first = draws.playWithPoints(campaign.id(), customer, "tap-1");
        DrawResult retry = draws.playWithPoints(campaign.id(), customer, "tap-1");
        assertThat(retry.drawId()).isEqualTo(first.drawId());
        assertThat(points.spendable(customer)).isEqualTo(30);
        assertThatThrownBy(() -> draws.playWithPoints(campaign.id(), customer, "tap-2"))
                .isInstanceOfSatisfying(ApiProblem.class,
                        p -> assertThat(p.errors().getFirst().reason()).isEqualTo("INSUFFICIENT_POINTS"));
        assertThat(points.spendable(customer)).isEqualTo(30);
    }

    @Test
    void theBudgetCapsWhatIsWon() {
        DrawCampaign campaign = draws.create(new CampaignDraft(unique("抽奖"), null, null, 100_00L, true, List.of(
                new PrizeDraft(null, "gift", "礼盒", null, null, "GIFT-BOX", 40_00L, 1_000_000, null))));
        int won = 0;
        for (int i = 0; i < 5; i++) {
            DrawResult r = draws.play(draws.grant(campaign.id(), CouponFixtures.customer(customers), unique("g"), "console").id());
            won += r.prizeId() == null ? 0 : 1;
            if (i >= 2) {
                assertThat(r.shortfall()).isEqualTo("budget");
            }
        }
        assertThat(won).isEqualTo(2);
        assertThat(draws.find(campaign.id()).orElseThrow().spentCents()).isEqualTo(80_00);
    }

    @Test
    void aReceiptAboveTheThresholdGrantsADraw() {
        DrawCampaign campaign = draws.create(new CampaignDraft(unique("满额抽奖"), 300_00L, null, null, true, List.of(
                new PrizeDraft(null, "gift", "雨伞", null, null, "GIFT-UMB", 20_00L, 100_000, null))));
        Store store = CouponFixtures.store(catalog);
        String phone = CouponFixtures.phone();
        for (String price : List.of("299.00", "350.00")) {
            ResponseEntity<String> r = apiPost("/api/v1/receipts", """
                    {"source":"pos-draw","receiptNo":"%s","storeCode":"%s","purchasedAt":"%s",
                     "customer":{"phone":"%s"},"lines":[{"sku":"SKU-D","quantity":1,"unitPrice":"%s"}]}"""
                    .formatted(unique("R"), store.code(), java.time.OffsetDateTime.now().withNano(0), phone, price));
            assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        }
        long customer = customers.find(app.regulars.customers.Identity.ofPhone(phone)).orElseThrow();
        // Other tests' campaigns may grant on the same receipt (the database is shared): count this one's.
        java.util.function.Supplier<List<DrawGrant>> ours = () -> draws.openGrants(customer).stream()
                .filter(g -> g.campaignId() == campaign.id()).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ours.get().isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> ours.get().size() == 1);
        DrawGrant grant = ours.get().getFirst();
        assertThat(grant.campaignId()).isEqualTo(campaign.id());
        assertThat(grant.via()).isEqualTo("receipt");
        DrawResult r = draws.play(grant.id());
        assertThat(draws.replay(r.drawId()).reproduced()).isTrue();
        assertThat(ours.get()).isEmpty();
    }
}
