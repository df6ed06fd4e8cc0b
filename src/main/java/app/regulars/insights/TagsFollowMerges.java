package app.regulars.insights;

import app.regulars.customers.CustomerMerged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When two customers turn out to be one, the survivor carries the merged customer's manual tags. Staff
 * put those tags on a person; no rule would give them back, unlike automatic tags and segments, which
 * follow the merged purchases on the next evaluation round.
 */
@Component
class TagsFollowMerges {

    private final SegmentMembership membership;

    TagsFollowMerges(SegmentMembership membership) {
        this.membership = membership;
    }

    @EventListener
    void on(CustomerMerged merged) {
        membership.followMerge(merged.survivorId(), merged.mergedId());
    }
}
