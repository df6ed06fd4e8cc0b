package app.regulars.coupons;

import java.util.List;

/** A draw campaign with its current prize table (version {@code tableVersion}). */
public record DrawCampaign(long id, String name, Long receiptMinCents, Long pointsCost, Long budgetCents,
                           long spentCents, int tableVersion, boolean active, List<Prize> prizes) {}
