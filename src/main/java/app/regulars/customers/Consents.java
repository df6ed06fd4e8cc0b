package app.regulars.customers;

import java.util.List;

/** Contact consent per channel and purpose; every change is kept, the latest answer counts. */
public interface Consents {

    /** The current answer for each (channel, purpose) the customer has answered. */
    List<Consent> current(long customerId);

    /** Every answer, newest first. */
    List<Consent> history(long customerId);

    /**
     * Appends an answer; an exact repeat of the current answer (same value, time and source) is not
     * stored twice, so retried calls are harmless. Refuses unknown channels/purposes naming the field.
     */
    Consent record(long customerId, ConsentChange change);

    /**
     * Whether the customer may be contacted: marketing and analytics need an explicit grant; service
     * messages are allowed unless refused.
     */
    boolean mayContact(long customerId, String channel, String purpose);
}
