package app.regulars.platform;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Calls reach the same endpoints, with the same refusals, now that mappings are ruled out by path prefix. */
class RequestRoutingTest extends IntegrationTest {

    @Test
    void aPathWithAVariableReachesItsEndpoint() {
        ResponseEntity<String> response = apiGet("/api/v1/customers/987654321/overview");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(response.getBody()).contains("customer 987654321");
    }

    @Test
    void aPercentEncodedLetterStillNamesTheSameEndpoint() {
        ResponseEntity<String> response = raw(HttpMethod.GET, "/api/v1/calle%72");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("\"allStores\":true");
    }

    @Test
    void aWrongMethodIsStill405AndAnUnknownPath404() {
        assertThat(raw(HttpMethod.DELETE, "/api/v1/caller").getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(raw(HttpMethod.GET, "/api/v1/no-such-thing").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    /** The path exactly as given: the template-expanding calls would encode the % again. */
    private ResponseEntity<String> raw(HttpMethod method, String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(apiKey());
        return rest.exchange(URI.create("http://localhost:" + port + path), method, new HttpEntity<>(headers), String.class);
    }
}
