package app.regulars.customers;

/** Topic and types of what this module appends to the event feed (payloads: ids and coarse facts only). */
final class CustomerEvents {
    static final String TOPIC = "customers";
    static final String CREATED = "customer.created";
    static final String UPDATED = "customer.updated";
    static final String MERGED = "customer.merged";
    static final String CONSENT = "consent.recorded";

    private CustomerEvents() {}
}
