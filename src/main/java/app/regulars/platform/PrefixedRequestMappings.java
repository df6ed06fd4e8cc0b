package app.regulars.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Request mappings that pass over, on the literal start of their paths, the mappings a request
 * cannot match. WHY: a path with a variable ({@code /api/v1/customers/{id}/overview}) has no direct
 * entry, so Spring tries every one of the ~200 mappings, method and headers first, through the
 * layers of request wrappers — twice per call (Spring Security's look-up cache, then the dispatcher).
 * Profiled, that was 18% of the server's CPU under customer 360 load. A string prefix test rules out
 * nearly all of them; the full match still decides for the rest, so routing is unchanged.
 */
@Configuration(proxyBeanMethods = false)
class PrefixedRequestMappings {

    @Bean
    WebMvcRegistrations prefixedMappings() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new Mappings();
            }
        };
    }

    static final class Mappings extends RequestMappingHandlerMapping {

        /** The path being looked up, when it is plain enough for the prefix test (see {@link #plain}). */
        private static final ThreadLocal<String> LOOKING_UP = new ThreadLocal<>();

        private final Map<RequestMappingInfo, String[]> prefixes = new ConcurrentHashMap<>();

        @Override
        protected void registerHandlerMethod(Object handler, Method method, RequestMappingInfo mapping) {
            super.registerHandlerMethod(handler, method, mapping);
            prefixes.put(mapping, literalStarts(mapping));
        }

        @Override
        protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
            if (!plain(lookupPath) || getPatternParser() == null || !getPatternParser().isCaseSensitive()) {
                return super.lookupHandlerMethod(lookupPath, request);
            }
            String outer = LOOKING_UP.get();
            LOOKING_UP.set(lookupPath);
            try {
                return super.lookupHandlerMethod(lookupPath, request);
            } finally {
                LOOKING_UP.set(outer);
            }
        }

        @Override
        protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
            String path = LOOKING_UP.get();
            String[] starts = path == null ? null : prefixes.get(info);
            if (starts != null && !startsWithAny(path, starts)) {
                return null;
            }
            return super.getMatchingMapping(info, request);
        }

        /**
         * Percent-encoding and matrix parameters are matched decoded and stripped by the patterns, so
         * only a path without them can be compared as a string.
         */
        static boolean plain(String path) {
            return path.indexOf('%') < 0 && path.indexOf(';') < 0;
        }

        static boolean startsWithAny(String path, String[] starts) {
            for (String start : starts) {
                if (path.startsWith(start)) {
                    return true;
                }
            }
            return false;
        }

        /** Each pattern up to its first variable or wildcard; null (no test) without path patterns. */
        static String[] literalStarts(RequestMappingInfo mapping) {
            if (mapping.getPathPatternsCondition() == null || mapping.getPathPatternsCondition().isEmptyPathMapping()) {
                return null;
            }
            return mapping.getPathPatternsCondition().getPatterns().stream().map(PathPattern::getPatternString)
                    .map(Mappings::literalStart).toArray(String[]::new);
        }

        static String literalStart(String pattern) {
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '{' || c == '*' || c == '?') {
                    return pattern.substring(0, i);
                }
            }
            return pattern;
        }
    }
}
