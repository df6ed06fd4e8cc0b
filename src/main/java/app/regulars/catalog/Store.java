package app.regulars.catalog;

import java.time.ZoneId;

/** A shop of the chain. Calendar questions ("last 90 days", birthdays) are answered in its timezone. */
public record Store(long id, String code, String name, String region, String city, ZoneId timezone) {}
