package app.regulars.customers;

import java.time.Instant;
import java.util.List;

/**
 * One answer of a customer about being contacted on a channel for a purpose. History is kept; the
 * current answer per (channel, purpose) is the latest by {@code at}.
 *
 * @param source        where it was given ("pos", "wechat-miniapp", "paper-form", "api")
 * @param noticeVersion the version of the privacy notice the customer saw
 * @param evidence      a reference to the proof (form number, message id) — not personal data
 */
public record Consent(long customerId, String channel, String purpose, boolean granted, Instant at, String source,
                      String noticeVersion, String evidence) {

    public static final List<String> CHANNELS = List.of("sms", "wechat", "email", "phone", "push");
    public static final List<String> PURPOSES = List.of("marketing", "service", "analytics");
}
