/** Loyalty: the points ledger, earning rules, expiry, redemption and tiers. */
package app.regulars.loyalty;
