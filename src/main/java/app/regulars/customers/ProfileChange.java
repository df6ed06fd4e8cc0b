package app.regulars.customers;

import java.util.Map;

/**
 * Profile fields to change: null leaves a field as it is, "" clears it (not for phone and card,
 * which are identities). {@code birthday} is "yyyy-MM-dd"; {@code gender} female|male|other;
 * {@code custom} holds text values by field key ("" clears one). {@code advisorStaff} is the code of a
 * staff member of the home store (专属顾问). {@code registeredAt} is when the customer joined, as the
 * member system knows it: a date ({@code 2023-05-01}, the day's start) or a date and time (with an
 * offset, or local); local times are in the registration store's zone for a registration and in the
 * customer's own zone for a change; it cannot be cleared, and for a new customer null means now.
 */
public record ProfileChange(String name, String phone, String cardNo, String gender, String birthday,
                            String address, String region, String city, Long homeStoreId, Long referrerCustomerId,
                            String advisorStaff, Map<String, String> custom, String registeredAt) {

    /** A change that leaves the time of joining alone (now, for a new customer). */
    public ProfileChange(String name, String phone, String cardNo, String gender, String birthday, String address,
                         String region, String city, Long homeStoreId, Long referrerCustomerId, String advisorStaff,
                         Map<String, String> custom) {
        this(name, phone, cardNo, gender, birthday, address, region, city, homeStoreId, referrerCustomerId,
                advisorStaff, custom, null);
    }

    public static ProfileChange none() {
        return new ProfileChange(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ProfileChange custom(Map<String, String> values) {
        return new ProfileChange(null, null, null, null, null, null, null, null, null, null, null, values);
    }
}
