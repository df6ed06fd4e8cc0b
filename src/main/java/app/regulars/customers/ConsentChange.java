package app.regulars.customers;

import java.time.Instant;

/** A consent answer to record; {@code at} defaults to now, {@code source} to "api". */
public record ConsentChange(String channel, String purpose, Boolean granted, Instant at, String source,
                            String noticeVersion, String evidence) {}
