package app.regulars.customers;

import java.util.Map;

/**
 * Profile fields to change: null leaves a field as it is, "" clears it (not for phone and card,
 * which are identities). {@code birthday} is "yyyy-MM-dd"; {@code gender} female|male|other;
 * {@code custom} holds text values by field key ("" clears one). {@code advisorStaff} is the code of a
 * staff member of the home store (专属顾问).
 */
public record ProfileChange(String name, String phone, String cardNo, String gender, String birthday,
                            String address, String region, String city, Long homeStoreId, Long referrerCustomerId,
                            String advisorStaff, Map<String, String> custom) {

    public static ProfileChange none() {
        return new ProfileChange(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ProfileChange custom(Map<String, String> values) {
        return new ProfileChange(null, null, null, null, null, null, null, null, null, null, null, values);
    }
}
