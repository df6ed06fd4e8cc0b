package app.regulars.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FeedWakeTest {

    private final FeedWake wake = new FeedWake();

    @Test
    void aReaderHoldsOffWhileABulkLoadAppliesAndGoesOnWhenItEnds() throws Exception {
        FeedWake.Pause reader = wake.pause(20);
        FeedWake.BulkLoad load = wake.bulkLoad();
        CompletableFuture<Void> read = holdThenRead(reader);

        Thread.sleep(300);
        assertThat(read).as("held while the load applies").isNotDone();

        load.close();
        read.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aReaderHoldsUntilTheLastOfTwoBulkLoadsEnds() throws Exception {
        FeedWake.BulkLoad first = wake.bulkLoad();
        FeedWake.BulkLoad second = wake.bulkLoad();
        CompletableFuture<Void> read = holdThenRead(wake.pause(20));

        first.close();
        first.close(); // closing twice ends it once: the other load still holds the reader
        Thread.sleep(300);
        assertThat(read).isNotDone();

        second.close();
        read.get(5, TimeUnit.SECONDS);
    }

    @Test
    void withNoBulkLoadAReaderReadsAtOnce() throws Exception {
        holdThenRead(wake.pause(20)).get(1, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Void> holdThenRead(FeedWake.Pause reader) {
        return CompletableFuture.runAsync(() -> {
            try {
                reader.holdDuringBulkLoad();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
