package app.regulars.loyalty;

import java.util.Optional;

/** The till's question: who is this member to us right now. */
public interface LoyaltyMembers {

    /** Tier, discount and points of a known customer (a customer without points yet is a basic member). */
    Optional<MemberStatus> status(long customerId);
}
