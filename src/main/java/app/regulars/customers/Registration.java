package app.regulars.customers;

import java.util.List;

/**
 * A customer as a POS, a form or an import sends it: recognised by its identity (created when
 * unknown), then the profile, custom values and consents are applied — all or nothing.
 */
public record Registration(Identity identity, Long registrationStoreId, String registrationChannel,
                           ProfileChange profile, List<ConsentChange> consents) {

    public Registration {
        profile = profile == null ? ProfileChange.none() : profile;
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    /** The outcome: the customer as now stored, and whether it was new. */
    public record Registered(CustomerProfile profile, boolean created) {}
}
