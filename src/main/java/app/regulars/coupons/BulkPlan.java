package app.regulars.coupons;

import java.util.Map;

/**
 * What a bulk issuance would do now, before anyone confirms it: nothing is written. The template's caps
 * are read without a lock, so the real issuance (which checks them again under the lock) may issue fewer
 * if someone else issues in between.
 *
 * @param customers     distinct customers asked for
 * @param toIssue       coupons that would go out now
 * @param alreadyIssued customers an earlier call with the same key already gave one (a retry adds none)
 * @param skipped       customers who would get none, per reason (as in {@link BulkIssued.Skipped})
 */
public record BulkPlan(int customers, int toIssue, int alreadyIssued, Map<String, Integer> skipped) {}
