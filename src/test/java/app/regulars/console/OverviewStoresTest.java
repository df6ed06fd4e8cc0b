package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.purchases.PurchaseFigures.ByStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OverviewStoresTest {

    @Test
    void aLargeChainShowsItsTopStoresAndOneBarForTheRest() {
        List<ByStore> stores = new ArrayList<>(LongStream.rangeClosed(1, 40)
                .mapToObj(id -> new ByStore(id, id, id * 100, 0, 0)).toList());
        List<ByStore> shown = OverviewPage.topStores(stores);

        assertThat(shown).hasSize(OverviewPage.TOP_STORES + 1);
        assertThat(shown.getFirst().storeId()).as("most revenue first").isEqualTo(40);
        ByStore rest = shown.getLast();
        assertThat(rest.storeId()).isEqualTo(OverviewPage.OTHERS);
        assertThat(rest.revenueCents()).isEqualTo(LongStream.rangeClosed(1, 25).sum() * 100);
        assertThat(shown.stream().mapToLong(ByStore::revenueCents).sum()).as("nothing lost")
                .isEqualTo(LongStream.rangeClosed(1, 40).sum() * 100);
    }

    @Test
    void aSmallChainShowsEveryStore() {
        List<ByStore> stores = LongStream.rangeClosed(1, 16).mapToObj(id -> new ByStore(id, 1, id, 0, 0)).toList();
        assertThat(OverviewPage.topStores(stores)).hasSize(16).noneMatch(s -> s.storeId() == OverviewPage.OTHERS);
    }
}
