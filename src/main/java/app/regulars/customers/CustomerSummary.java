package app.regulars.customers;

import java.time.LocalDate;

/**
 * What other modules and the console may show of a customer. {@code phoneMasked} is always masked
 * (138****1234); full values are only revealed through {@link Customers#reveal}, which is audited.
 */
public record CustomerSummary(long id, String displayName, String phoneMasked, String cardNo, String gender,
                              String ageBand, String city, Long homeStoreId, Long registrationStoreId,
                              LocalDate registeredOn) {
}
