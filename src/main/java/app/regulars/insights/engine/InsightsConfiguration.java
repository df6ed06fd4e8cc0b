package app.regulars.insights.engine;

import app.regulars.platform.FeedWake;
import app.regulars.platform.RegularsProperties;
import java.time.Clock;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine as the application's {@code RuleEngine} and {@code Insights}, started with the context. */
@Configuration(proxyBeanMethods = false)
class InsightsConfiguration {

    @Bean
    IndexedRuleEngine indexedRuleEngine(DataSource dataSource, RegularsProperties properties, Clock clock, FeedWake wake) {
        ZoneId zone = properties.timezone();
        return new IndexedRuleEngine(dataSource, zone, clock, wake);
    }

    /** Builds after Flyway has migrated (the data source is ready) and stops before it closes. */
    @Bean
    SmartLifecycle insightsIndexLifecycle(IndexedRuleEngine engine) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                engine.start();
                running = true;
            }

            @Override
            public void stop() {
                engine.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
