package app.regulars.customers;

import app.regulars.platform.ApiProblem.FieldError;
import java.util.List;

/**
 * A customer as a POS, a form or an import sends it: recognised by its identity (created when
 * unknown), then the profile, custom values and consents are applied — all or nothing. When the
 * customer joined is the profile's {@code registeredAt}.
 */
public record Registration(Identity identity, Long registrationStoreId, String registrationChannel,
                           ProfileChange profile, List<ConsentChange> consents) {

    public Registration {
        profile = profile == null ? ProfileChange.none() : profile;
        consents = consents == null ? List.of() : List.copyOf(consents);
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
