package app.regulars.access;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;

/**
 * Spring Security matches requests by path pattern, and does not look up the MVC handler of every
 * request before its filters run. WHY: with Spring MVC present, Spring Security 6 matches paths
 * through MVC's handler mappings, and wraps its filter chain in a filter that looks up each
 * request's handler ahead of time so those matchers can share it. The dispatcher then looks it up
 * again. Profiled under customer 360 load, the look-up ahead of time was 12% of the request threads'
 * CPU. Our matchers are plain path patterns ({@code /api/**}, {@code /settings/**}), so they need no
 * handler: with the path-pattern builder published, nothing reads that look-up, and it is dropped.
 * Spring Security 7 does the same by default.
 */
@Configuration(proxyBeanMethods = false)
class PathPatternSecurity {

    /** The bean of Spring Security's filters, which it wraps in composites of other filters. */
    static final String FILTER_CHAIN = "springSecurityFilterChain";
    private static final String LOOK_UP = "org.springframework.security.config.annotation.web.configuration."
            + "WebMvcSecurityConfiguration$HandlerMappingIntrospectorCacheFilterFactoryBean";

    @Bean
    PathPatternRequestMatcherBuilderFactoryBean pathPatternMatchers() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /**
     * Runs after every registry post-processor, so after Spring Security's: those replace the filter
     * chain's definition by composites, one of them of [handler look-up, the chain it wraps]; that one
     * gives way to what it wraps. If Spring Security changes that shape, the look-up stays, and
     * {@code PathPatternSecurityTest} fails.
     */
    @Bean
    static BeanFactoryPostProcessor withoutHandlerLookUpAhead() {
        return factory -> {
            if (factory instanceof BeanDefinitionRegistry registry && registry.containsBeanDefinition(FILTER_CHAIN)) {
                BeanDefinition chain = registry.getBeanDefinition(FILTER_CHAIN);
                BeanDefinition without = withoutLookUp(chain);
                if (without != chain) {
                    registry.removeBeanDefinition(FILTER_CHAIN);
                    registry.registerBeanDefinition(FILTER_CHAIN, without);
                }
            }
        };
    }

    private static BeanDefinition withoutLookUp(BeanDefinition definition) {
        List<Object> wrapped = wrapped(definition);
        if (wrapped.size() == 2 && isLookUp(wrapped.get(0)) && wrapped.get(1) instanceof BeanDefinition inner) {
            return withoutLookUp(inner);
        }
        wrapped.replaceAll(filter -> filter instanceof BeanDefinition inner ? withoutLookUp(inner) : filter);
        return definition;
    }

    /** Whether Spring Security's handler look-up ahead of time is anywhere in this definition. */
    static boolean looksUpHandlersAhead(BeanDefinition definition) {
        return wrapped(definition).stream().anyMatch(filter -> isLookUp(filter)
                || filter instanceof BeanDefinition inner && looksUpHandlersAhead(inner));
    }

    /** The filters a composite filter chain's definition wraps (a list it may change), else none. */
    @SuppressWarnings("unchecked")
    private static List<Object> wrapped(BeanDefinition definition) {
        String type = definition.getBeanClassName();
        if (type == null || !type.endsWith("$CompositeFilterChainProxy")) {
            return new ArrayList<>();
        }
        return definition.getConstructorArgumentValues().getIndexedArgumentValues().values().stream()
                .map(ConstructorArgumentValues.ValueHolder::getValue)
                .filter(List.class::isInstance).map(list -> (List<Object>) list)
                .findFirst().orElseGet(ArrayList::new);
    }

    private static boolean isLookUp(Object filter) {
        return filter instanceof BeanDefinition definition && LOOK_UP.equals(definition.getBeanClassName());
    }
}
