package app.regulars.demo;

import app.regulars.customers.Identity;
import java.time.LocalDate;

/**
 * A generated customer. Name, phone, card and birthday are personal data even when invented: they
 * go through the customers module like real ones, and {@link #toString()} does not print them.
 */
record DemoCustomer(int ordinal, String phone, String cardNo, String name, String gender, LocalDate birthday,
                    String city, String homeStoreCode, String advisorCode, boolean smsMarketing,
                    boolean wechatMarketing) {

    Identity identity() {
        return new Identity(phone, cardNo, null, null, null, null);
    }

    @Override
    public String toString() {
        return "DemoCustomer[" + ordinal + ", " + homeStoreCode + "]";
    }
}
