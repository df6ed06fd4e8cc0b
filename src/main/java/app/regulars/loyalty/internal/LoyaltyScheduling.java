package app.regulars.loyalty.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on {@code @Scheduled} work for loyalty (expiry, reminders, tier reviews), whoever else does. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LoyaltyScheduling {}
