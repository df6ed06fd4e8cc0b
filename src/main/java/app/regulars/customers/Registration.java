package app.regulars.customers;

import app.regulars.platform.ApiProblem.FieldError;
import java.util.List;

/**
 * A customer as a POS, a form or an import sends it: recognised by its identity (created when
 * unknown), then the profile, custom values and consents are applied — all or nothing.
 *
 * @param registeredAt when the customer joined, as the member system that sends them knows it: a date
 *                     ({@code 2023-05-01}, the day's start in the registration store's time zone) or a
 *                     date and time (with an offset, or local to that store); null: now for a new
 *                     customer, unchanged for a known one
 */
public record Registration(Identity identity, Long registrationStoreId, String registrationChannel,
                           ProfileChange profile, List<ConsentChange> consents, String registeredAt) {

    public Registration {
        profile = profile == null ? ProfileChange.none() : profile;
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    /** A registration that leaves the time of joining to the system: now for a new customer. */
    public Registration(Identity identity, Long registrationStoreId, String registrationChannel, ProfileChange profile,
                        List<ConsentChange> consents) {
        this(identity, registrationStoreId, registrationChannel, profile, consents, null);
    }

    /** The outcome: the customer as now stored, and whether it was new. */
    public record Registered(CustomerProfile profile, boolean created) {}

    /**
     * What {@link CustomerProfiles#registerAll} did with the registration at {@code index}: the
     * customer it is now ({@code created} when new), or the errors that refused it (then nothing of it
     * was saved and {@code customerId} is null). Field names are those {@code register} reports.
     */
    public record Outcome(int index, Long customerId, boolean created, List<FieldError> errors) {
        public Outcome {
            errors = List.copyOf(errors);
        }

        public boolean refused() {
            return !errors.isEmpty();
        }
    }
}
