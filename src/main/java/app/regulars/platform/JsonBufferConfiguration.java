package app.regulars.platform;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jackson's read and write buffers come from one pool shared by all threads. WHY: Jackson keeps them
 * per thread by default, and every API call runs on a virtual thread of its own, so each call allocated
 * fresh 8–16 KB buffers: 15% of all allocation under customer 360 load (JFR), which shortens the time
 * between young collections, whose pauses set the tail latency. A shared pool keeps as many as were
 * in use at once.
 */
@Configuration(proxyBeanMethods = false)
class JsonBufferConfiguration {
    @Bean
    Jackson2ObjectMapperBuilderCustomizer sharedJsonBuffers() {
        return builder -> builder.postConfigurer(
                mapper -> mapper.getFactory().setRecyclerPool(JsonRecyclerPools.newConcurrentDequePool()));
    }
}
