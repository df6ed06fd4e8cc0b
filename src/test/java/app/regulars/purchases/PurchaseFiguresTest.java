package app.regulars.purchases;

import static app.regulars.purchases.PurchasesFixtures.phone;
import static app.regulars.purchases.PurchasesFixtures.phoneCustomer;
import static app.regulars.purchases.PurchasesFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import app.regulars.purchases.PurchaseFigures.ByStore;
import app.regulars.purchases.PurchaseFigures.Day;
import app.regulars.purchases.PurchaseFigures.RepeatCustomers;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * The overview's figures against sums worked out by hand. The receipts sit around the leap day of
 * 2004, a time no other test uses, and straddle midnight in Shanghai (UTC+8): what counts is the
 * calendar day in the chain's timezone, not in UTC.
 * The receipts are sent once for the class, so the whole chain's figures for those days are exact too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurchaseFiguresTest extends IntegrationTest {

    static final LocalDate FEB_27 = LocalDate.of(2004, 2, 27);
    static final LocalDate FEB_28 = LocalDate.of(2004, 2, 28);
    static final LocalDate FEB_29 = LocalDate.of(2004, 2, 29);
    static final LocalDate MAR_01 = LocalDate.of(2004, 3, 1);
    static final LocalDate MAR_02 = LocalDate.of(2004, 3, 2);

    @Autowired PurchaseFigures figures;
    @Autowired Catalog catalog;

    String source;
    long east;
    long west;
    StoreFilter both;

    @BeforeAll
    void twoStoresWithReceipts() {
        source = unique("pos");
        String eastCode = unique("FE");
        String westCode = unique("FW");
        east = StoreFixtures.create(catalog, eastCode).id();
        west = StoreFixtures.create(catalog, westCode).id();
        both = StoreFilter.only(Set.of(east, west));
        String regular = phoneCustomer(phone());
        String once = phoneCustomer(phone());
        String another = phoneCustomer(phone());

        // East: the regular buys a minute before and right at midnight (Shanghai), plus an anonymous sale.
        post(sale("R1", eastCode, "2004-02-28T23:59:00+08:00", regular, 1, "10.00"));
        post(sale("R2", eastCode, "2004-02-29T00:00:00+08:00", regular, 2, "10.00"));
        post(sale("R3", eastCode, "2004-02-29T15:59:59Z", null, 1, "5.50"));
        // West: 16:30 UTC on the 29th is already 1 March in Shanghai; half of it comes back that morning.
        post(sale("R4", westCode, "2004-02-29T16:30:00Z", once, 2, "50.00"));
        post("""
                {"source":"%s","receiptNo":"F1","kind":"refund","originalReceiptNo":"R4","reasonCode":"size",
                 "storeCode":"%s","purchasedAt":"2004-03-01T10:00:00+08:00",
                 "lines":[{"sku":"SKU-F","quantity":1,"unitPrice":"50.00"}]}""".formatted(source, westCode));
        post(sale("R5", westCode, "2004-03-02T12:00:00+08:00", another, 1, "30.00"));
    }

    @Test
    void daysAreCalendarDaysInTheChainsTimezoneWithEmptyDaysAsZeros() {
        assertThat(figures.daily(FEB_27, MAR_02, both)).containsExactly(
                new Day(FEB_27, 0, 0, 0, 0),
                new Day(FEB_28, 1, 1000, 0, 0),
                new Day(FEB_29, 2, 2000 + 550, 0, 0),
                new Day(MAR_01, 1, 10000, 1, 5000),
                new Day(MAR_02, 1, 3000, 0, 0));
        assertThat(figures.daily(FEB_29, FEB_29, StoreFilter.only(Set.of(west))))
                .containsExactly(new Day(FEB_29, 0, 0, 0, 0));
    }

    @Test
    void storesAreRankedByRevenueOverTheDays() {
        assertThat(figures.byStore(FEB_28, MAR_01, both)).containsExactly(
                new ByStore(west, 1, 10000, 1, 5000),
                new ByStore(east, 3, 3550, 0, 0));
        assertThat(figures.byStore(FEB_29, FEB_29, both)).containsExactly(new ByStore(east, 2, 2550, 0, 0));
    }

    @Test
    void aRepeatCustomerBoughtTwiceInTheStoresAsked() {
        RepeatCustomers repeat = figures.repeatCustomers(both);

        assertThat(repeat).isEqualTo(new RepeatCustomers(3, 1));
        assertThat(repeat.rate()).isEqualTo(1 / 3.0);
        assertThat(figures.repeatCustomers(StoreFilter.only(Set.of(west)))).isEqualTo(new RepeatCustomers(2, 0));
    }

    @Test
    void noStoresMeansNoFigures() {
        StoreFilter none = StoreFilter.only(Set.of());

        assertThat(figures.daily(FEB_29, MAR_01, none)).extracting(Day::receipts).containsExactly(0L, 0L);
        assertThat(figures.byStore(FEB_29, MAR_01, none)).isEmpty();
        assertThat(figures.repeatCustomers(none)).isEqualTo(new RepeatCustomers(0, 0));
        assertThat(new RepeatCustomers(0, 0).rate()).isZero();
    }

    @Test
    void theWholeChainCountsEveryStore() {
        assertThat(figures.daily(FEB_29, MAR_01, StoreFilter.ALL)).containsExactly(
                new Day(FEB_29, 2, 2550, 0, 0),
                new Day(MAR_01, 1, 10000, 1, 5000));
        assertThat(figures.byStore(FEB_29, MAR_01, StoreFilter.ALL)).extracting(ByStore::storeId)
                .containsExactly(west, east);
        // The chain's repeat figure comes from the stats the feed keeps: this class's regular is counted
        // there within moments (other tests' buyers may be too, so only the lower bound is known).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            RepeatCustomers chain = figures.repeatCustomers(StoreFilter.ALL);
            assertThat(chain.buyers()).isGreaterThanOrEqualTo(3);
            assertThat(chain.repeatBuyers()).isGreaterThanOrEqualTo(1);
        });
    }

    private String sale(String receiptNo, String store, String at, String customer, int quantity, String price) {
        return """
                {"source":"%s","receiptNo":"%s","storeCode":"%s","purchasedAt":"%s",%s
                 "lines":[{"sku":"SKU-F","quantity":%d,"unitPrice":"%s"}]}"""
                .formatted(source, receiptNo, store, at, customer == null ? "" : "\"customer\":" + customer + ",",
                        quantity, price);
    }

    private void post(String receipt) {
        ResponseEntity<String> response = apiPost("/api/v1/receipts", receipt);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
    }
}
