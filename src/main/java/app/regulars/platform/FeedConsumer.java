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

    /** Applies a batch of events, in feed order, within the pump's transaction. */
    void apply(List<FeedEvent> events);
}
