package app.regulars.demo;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.catalog.ProductDraft;
import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated chain has the shape the insights engine and the demo rely on. Pure: no Spring, no
 * database; one generation of 5,000 customers and 60,000 receipts shared by the shape tests.
 */
class DemoGeneratorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);
    private static final List<Shopper> shoppers = new ArrayList<>();
    private static final List<ReceiptDraft> anonymous = new ArrayList<>();
    private static Map<String, String> rootBySku;

    @BeforeAll
    static void generate() {
        DemoGenerator generator = new DemoGenerator(20261111L, 5_000, 60_000, TODAY);
        generator.forEachShopper(shoppers::add);
        generator.forEachAnonymousBatch(1_000, anonymous::addAll);
        rootBySku = generator.catalog().products().stream()
                .collect(Collectors.toMap(ProductDraft::skuCode, p -> DemoCatalog.rootOf(p.categoryCode())));
    }

    @Test
    void theGeneratorIsDeterministicForASeed() {
        assertThat(digest(7, 300, 3_000, TODAY)).isEqualTo(digest(7, 300, 3_000, TODAY))
                .isNotEqualTo(digest(8, 300, 3_000, TODAY));
    }

    @Test
    void itProducesExactlyTheRequestedSalesWithUniquePhonesAndReceiptNumbers() {
        long sales = allReceipts().stream().filter(r -> r.kind().equals(ReceiptDraft.SALE)).count();
        assertThat(sales).isEqualTo(60_000);
        Set<String> phones = new HashSet<>();
        shoppers.forEach(s -> phones.add(s.customer().phone()));
        assertThat(phones).hasSize(5_000).allMatch(p -> p.matches("1[3-9]\\d{9}"));
        Set<String> numbers = new HashSet<>();
        allReceipts().forEach(r -> numbers.add(r.receiptNo()));
        assertThat(numbers).hasSize(allReceipts().size());
        assertThat(allReceipts()).allMatch(r -> !r.purchasedAt().isAfter(TODAY.atStartOfDay(DemoGenerator.ZONE).toInstant()));
    }

    @Test
    void theTopFifthOfCustomersHoldsAtLeastSixtyPercentOfSpend() {
        List<Long> spend = new ArrayList<>();
        for (Shopper shopper : shoppers) {
            spend.add(shopper.receipts().stream().mapToLong(DemoGeneratorTest::signedTotal).sum());
        }
        spend.sort(Collections.reverseOrder());
        long total = spend.stream().mapToLong(Long::longValue).sum();
        long top = spend.subList(0, spend.size() / 5).stream().mapToLong(Long::longValue).sum();
        assertThat((double) top / total).isGreaterThanOrEqualTo(0.6);
    }

    @Test
    void theMedianGapBetweenSkincarePurchasesIsFortyToFiftyDays() {
        List<Long> gaps = new ArrayList<>();
        for (Shopper shopper : shoppers) {
            LocalDate previous = null;
            for (ReceiptDraft receipt : shopper.receipts()) {
                boolean skincare = receipt.kind().equals(ReceiptDraft.SALE)
                        && receipt.lines().stream().anyMatch(l -> rootBySku.get(l.sku()).equals("skincare"));
                if (skincare) {
                    LocalDate day = LocalDate.ofInstant(receipt.purchasedAt(), DemoGenerator.ZONE);
                    if (previous != null) {
                        gaps.add(day.toEpochDay() - previous.toEpochDay());
                    }
                    previous = day;
                }
            }
        }
        Collections.sort(gaps);
        assertThat(gaps).hasSizeGreaterThan(1_000);
        assertThat(gaps.get(gaps.size() / 2)).isBetween(40L, 50L);
    }

    @Test
    void elevenElevenHasAtLeastThreeTimesAMedianDaysReceipts() {
        Map<LocalDate, Integer> perDay = new TreeMap<>();
        for (ReceiptDraft receipt : allReceipts()) {
            perDay.merge(LocalDate.ofInstant(receipt.purchasedAt(), DemoGenerator.ZONE), 1, Integer::sum);
        }
        List<Integer> counts = new ArrayList<>(perDay.values());
        Collections.sort(counts);
        int median = counts.get(counts.size() / 2);
        assertThat(perDay.get(LocalDate.of(2025, 11, 11))).isGreaterThanOrEqualTo(3 * median);
        assertThat(perDay.get(LocalDate.of(2026, 11, 11))).isGreaterThanOrEqualTo(3 * median);
    }

    @Test
    void aboutFourPercentOfReceiptsAreRefunds() {
        List<ReceiptDraft> all = allReceipts();
        List<ReceiptDraft> refunds = all.stream().filter(r -> r.kind().equals(ReceiptDraft.REFUND)).toList();
        assertThat((double) refunds.size() / all.size()).isBetween(0.03, 0.05);
        Map<String, ReceiptDraft> byNumber = new HashMap<>();
        all.forEach(r -> byNumber.put(r.receiptNo(), r));
        for (ReceiptDraft refund : refunds) {
            ReceiptDraft original = byNumber.get(refund.originalReceiptNo());
            assertThat(original).isNotNull();
            assertThat(refund.purchasedAt()).isAfter(original.purchasedAt());
            assertThat(refund.reasonCode()).isIn("size", "quality", "changed_mind", "damaged", "other");
            assertThat(signedTotal(refund)).isBetween(-grossPaid(original), -1L);
        }
    }

    @Test
    void someReceiptsAreAnonymousAndSomeLinesCarryCoupons() {
        assertThat(anonymous).hasSize(3_600).allMatch(r -> r.customer() == null);
        List<ReceiptLine> lines = allReceipts().stream().flatMap(r -> r.lines().stream()).toList();
        long withCoupon = lines.stream().filter(l -> l.couponCode() != null).count();
        assertThat((double) withCoupon / lines.size()).isBetween(0.05, 0.4);
        assertThat(lines).allMatch(l -> l.discountCents() >= 0 && l.discountCents() <= l.quantity() * l.unitPriceCents());
        assertThat(allReceipts().stream().map(ReceiptDraft::channel).distinct()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(allReceipts().stream().map(ReceiptDraft::paymentMethod).distinct()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void theSpringFestivalComesFromTheLunarCalendar() {
        ShoppingCalendar calendar = new ShoppingCalendar();
        assertThat(calendar.springFestival(2025)).isEqualTo(LocalDate.of(2025, 1, 29));
        assertThat(calendar.springFestival(2026)).isEqualTo(LocalDate.of(2026, 2, 17));
    }

    private static List<ReceiptDraft> allReceipts() {
        List<ReceiptDraft> all = new ArrayList<>(anonymous);
        shoppers.forEach(s -> all.addAll(s.receipts()));
        return all;
    }

    private static long grossPaid(ReceiptDraft receipt) {
        return receipt.lines().stream().mapToLong(l -> l.quantity() * l.unitPriceCents() - l.discountCents()).sum();
    }

    private static long signedTotal(ReceiptDraft receipt) {
        return receipt.kind().equals(ReceiptDraft.REFUND) ? -grossPaid(receipt) : grossPaid(receipt);
    }

    private static String digest(long seed, int customers, long purchases, LocalDate today) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            DemoGenerator generator = new DemoGenerator(seed, customers, purchases, today);
            sha.update(generator.catalog().toString().getBytes(StandardCharsets.UTF_8));
            generator.forEachShopper(s -> {
                DemoCustomer c = s.customer();
                sha.update(String.join("|", c.phone(), c.cardNo(), c.name(), c.gender(), c.birthday().toString(),
                        c.city(), c.homeStoreCode()).getBytes(StandardCharsets.UTF_8));
                s.receipts().forEach(r -> sha.update(r.toString().getBytes(StandardCharsets.UTF_8)));
            });
            generator.forEachAnonymousBatch(100, b -> b.forEach(r -> sha.update(r.toString().getBytes(StandardCharsets.UTF_8))));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
