package app.regulars.coupons;

/** A recorded draw run again: the same random value on the same table version must pick the same prize. */
public record DrawReplay(long drawId, long randomValue, int tableVersion, Long recordedPickedPrizeId,
                         Long replayedPickedPrizeId, Long recordedPrizeId, String shortfall, boolean reproduced) {}
