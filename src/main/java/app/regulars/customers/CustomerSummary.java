package app.regulars.customers;

import java.time.LocalDate;
import java.util.Set;

/**
 * What other modules and the console may show of a customer. {@code phoneMasked} is always masked
 * (138****1234); full values are only revealed through {@link Customers#reveal}, which is audited.
 */
public record CustomerSummary(long id, String displayName, String phoneMasked, String cardNo, String gender,
                              String ageBand, String city, Long homeStoreId, Long registrationStoreId,
                              LocalDate registeredOn) {

    /**
     * Whether a caller limited to {@code storeIds} may see this customer: their home store or the store
     * they registered at is one of them. Chain-wide callers see everyone; they do not ask.
     */
    public boolean belongsToAny(Set<Long> storeIds) {
        return (homeStoreId != null && storeIds.contains(homeStoreId))
                || (registrationStoreId != null && storeIds.contains(registrationStoreId));
    }
}
