package app.regulars.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** A server shutting down during an import does not wait for the import to end. */
    @Test
    void aReaderBeingStoppedLeavesTheHoldWhenRung() throws Exception {
        FeedWake.BulkLoad load = wake.bulkLoad();
        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Void> read = holdThenRead(wake.pause(20), reading);
        Thread.sleep(300);
        assertThat(read).isNotDone();

        reading.set(false);
        wake.ring();
        read.get(5, TimeUnit.SECONDS);
        load.close();
    }

    private static CompletableFuture<Void> holdThenRead(FeedWake.Pause reader) {
        return holdThenRead(reader, new AtomicBoolean(true));
    }

    private static CompletableFuture<Void> holdThenRead(FeedWake.Pause reader, AtomicBoolean reading) {
        return CompletableFuture.runAsync(() -> {
            try {
                reader.holdDuringBulkLoad(reading::get);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
