package app.regulars.platform;

import java.util.List;
import java.util.Set;

/**
 * A reader of the event feed. The pump calls {@link #apply} inside the same database transaction
 * that records how far this consumer has read, so each committed event is applied exactly once,
 * also across crashes. Implementations write only their own tables.
 */
public interface FeedConsumer {

    /** A stable name: the key of this consumer's stored position. Never rename. */
    String name();

    /** The topics this consumer reads. */
    Set<String> topics();

    /**
     * At most how many events one {@link #apply} gets. The pump's transaction holds back every
     * consumer's reading horizon while it runs (docs/decisions/0002), so a consumer that does much
     * per event asks for smaller batches.
     */
    default int batchSize() {
        return 2000;
    }

    /** Applies a batch of events, in feed order, within the pump's transaction. */
    void apply(List<FeedEvent> events);
}
