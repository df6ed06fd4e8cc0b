/**
 * The insights engine: an in-memory, customer-major, columnar index of purchases and interactions,
 * per-customer metrics and RFM, the rule language, tags and segments.
 */
package app.regulars.insights;
