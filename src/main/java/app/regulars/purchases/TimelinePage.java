package app.regulars.purchases;

import java.util.List;

/** One page of a customer's timeline, newest first; {@code page} counts from 0. */
public record TimelinePage(long customerId, int page, int size, boolean hasMore, List<TimelineEntry> entries) {}
