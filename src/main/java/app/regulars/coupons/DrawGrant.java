package app.regulars.coupons;

import java.time.Instant;

/** The right to one draw, from a receipt, points, a journey or the console; {@code drawId} once used. */
public record DrawGrant(long id, long campaignId, long customerId, String via, Instant grantedAt, Long drawId) {}
