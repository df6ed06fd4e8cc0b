package app.regulars.coupons;

import java.util.List;

/**
 * A draw campaign as configured. A receipt of at least {@code receiptMinCents} grants a draw (null: no
 * receipt grants); {@code pointsCost} lets customers buy a draw with points (积分抽奖; null: not for sale).
 * The odds of all prizes add up to at most 1,000,000 ppm; the rest is "no prize".
 */
public record CampaignDraft(String name, Long receiptMinCents, Long pointsCost, Long budgetCents, Boolean active,
                            List<PrizeDraft> prizes) {

    public CampaignDraft {
        prizes = prizes == null ? List.of() : prizes;
    }
}
