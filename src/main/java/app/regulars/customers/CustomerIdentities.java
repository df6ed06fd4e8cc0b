package app.regulars.customers;

import app.regulars.customers.CustomerProfile.KnownIdentity;
import java.util.List;

/**
 * A customer's identities one at a time: the phones, cards, WeChat ids and POS numbers by which tills,
 * mini-programs and imports recognise them. WHY APART FROM THE PROFILE: a profile has one phone and
 * one card, while a regular collects a second card, a WeChat id and a POS number over the years, and
 * a number handed to someone else by the carrier must stop finding them.
 */
public interface CustomerIdentities {

    /** The customer's identities (a merged id answers with the survivor's), masked as the console shows them. */
    List<KnownIdentity> of(long customerId);

    /**
     * Adds one identity; answers whether it was new (false: the customer had it already, nothing is
     * written). The profile's phone or card is set when it had none. Refused, naming the holder, when
     * another customer has it: the two are merged knowingly, never moved silently.
     *
     * @param kind   phone, card, wechat_openid, wechat_unionid or external
     * @param source the POS an external id comes from; ignored for the other kinds
     */
    boolean attach(long customerId, String kind, String source, String value);

    /**
     * Removes the identity with this {@link KnownIdentity#handle()}: it stops finding the customer. A
     * profile phone or card that was this identity is replaced by another of its kind, or cleared.
     * Refused for the customer's last identity, which would leave them unreachable at every till.
     */
    void detach(long customerId, String handle);

    /**
     * The identity's value unmasked, for a user whose role may see it (the caller checks the role and
     * records the audit entry, as {@link Customers#reveal} asks); empty when the customer has no such
     * identity. WHY: two phones can mask alike (138****5678), and staff detaching one must see which.
     */
    java.util.Optional<String> reveal(long customerId, String handle);
}
