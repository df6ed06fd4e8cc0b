package app.regulars.coupons;

import java.util.List;
import java.util.Optional;

/**
 * Instant-win draws (满额抽奖). A grant gives one draw; the draw's outcome comes from server-side random
 * bits recorded with it, so {@link #replay} reproduces it. Stock and budget are never exceeded, also
 * under concurrent draws (conditional updates under row locks).
 */
public interface Draws {

    DrawCampaign create(CampaignDraft draft);

    /** Changes the campaign; a change of prizes or odds makes a new table version (old draws replay on theirs). */
    DrawCampaign update(long id, CampaignDraft draft);

    Optional<DrawCampaign> find(long id);

    List<DrawCampaign> all();

    /** Grants one draw (journeys, the console); idempotent on {@code grantKey}. */
    DrawGrant grant(long campaignId, long customerId, String grantKey, String via);

    /** Draws on a grant; a second call returns the first draw. */
    DrawResult play(long grantId);

    /**
     * Spends the campaign's points cost and draws, in one transaction (积分抽奖); idempotent on {@code key}.
     * 422 {@code INSUFFICIENT_POINTS} when the balance is short.
     */
    DrawResult playWithPoints(long campaignId, long customerId, String key);

    DrawReplay replay(long drawId);

    /** The campaign's latest draws, newest first. */
    List<DrawResult> recent(long campaignId, int limit);

    /** Grants of the customer not drawn yet. */
    List<DrawGrant> openGrants(long customerId);
}
