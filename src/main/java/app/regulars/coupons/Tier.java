package app.regulars.coupons;

/** One step of a threshold coupon: spend at least {@code minCents} in scope, get {@code offCents} off (满300减50). */
public record Tier(long minCents, long offCents) {}
