package app.regulars.customers;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Everything the console's customer 360 page and the API show of a customer. Personal data is
 * masked or left out (the phone is masked; address and full birthday only say whether they are
 * known) — {@link Customers#reveal} returns them, audited by the caller.
 *
 * @param advisorStaffId the dedicated advisor (专属顾问), a staff id of the catalog
 * @param timezone     the home store's timezone, or the chain default
 * @param custom       values of custom fields by key (String, BigDecimal, or ISO date String)
 */
public record CustomerProfile(long id, String name, String phoneMasked, String cardNo, String gender,
                              String birthMmdd, String ageBand, String region, String city, Long homeStoreId,
                              Long registrationStoreId, String registrationChannel, Long referrerCustomerId,
                              Long advisorStaffId, ZoneId timezone, Instant registeredAt, Instant updatedAt,
                              Map<String, Object> custom, List<KnownIdentity> identities, boolean hasAddress,
                              boolean hasBirthday) {

    /**
     * One way the customer is recognised, shown masked where it is personal data.
     *
     * @param handle names this identity to {@link CustomerIdentities#detach} without the value
     *               (which would otherwise travel in URLs and logs)
     * @param since  when it was first seen for this customer
     */
    public record KnownIdentity(String kind, String source, String shown, String handle, Instant since) {}

    /**
     * What a caller scoped to other stores is shown of this customer after registering an identity
     * the customer already had: the id and the masked phone it sent, nothing of the profile. WHY: an
     * upsert answered with the whole profile would let a store's key read any customer of the chain
     * by posting their phone.
     */
    public CustomerProfile withheld() {
        return new CustomerProfile(id, null, phoneMasked, null, null, null, null, null, null, null, null, null, null,
                null, timezone, null, null, Map.of(), List.of(), false, false);
    }
}
