package app.regulars.access;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;

class PathPatternSecurityTest extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void securityDoesNotLookUpEveryRequestsHandlerBeforeTheDispatcherDoes() {
        var definition = context.getBeanFactory().getBeanDefinition(PathPatternSecurity.FILTER_CHAIN);
        assertThat(PathPatternSecurity.looksUpHandlersAhead(definition)).isFalse();

        FilterChainProxy filters = context.getBean(PathPatternSecurity.FILTER_CHAIN, FilterChainProxy.class);
        // Matched by MVC's handler mappings instead, each chain would look up the handler by itself.
        assertThat(filters.getFilterChains()).first()
                .extracting(chain -> ((DefaultSecurityFilterChain) chain).getRequestMatcher())
                .hasToString("Or [PathPattern [/api/**]]");
    }

    @Test
    void pathsAreGuardedAsBefore() throws Exception {
        assertThat(status("/api/v1/customers/1/overview", null)).isEqualTo(401);
        assertThat(status("/api/v1/customers/1/overview/", null)).isEqualTo(401);
        assertThat(status("/api//v1/caller", null)).isIn(400, 401);
        assertThat(status("/api/v1/caller", apiKey())).isEqualTo(200);
        assertThat(status("/settings/users", null)).isEqualTo(302);
        assertThat(status("/customers", null)).isEqualTo(302);
        assertThat(status("/login", null)).isEqualTo(200);
        assertThat(status("/actuator/health", null)).isEqualTo(200);
        assertThat(status("/console.css", null)).isEqualTo(200);
    }

    private int status(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
