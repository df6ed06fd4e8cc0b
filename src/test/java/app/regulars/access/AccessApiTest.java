package app.regulars.access;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

class AccessApiTest extends IntegrationTest {

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    JdbcClient jdbc;

    @Test
    void apiCallsWithoutAKeyGet401ProblemJson() {
        ResponseEntity<String> response = rest.exchange("/api/v1/caller", HttpMethod.GET,
                new HttpEntity<>(new HttpHeaders()), String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).contains("\"status\":401").contains("missing API key");
    }

    @Test
    void aWriteWithoutAKeyIsRefusedAs401NotAsACsrfFailure() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> response = rest.exchange("/api/v1/receipts", HttpMethod.POST,
                new HttpEntity<>("{}", headers), String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anUnknownKeyIsRefusedWithTheReason() {
        ResponseEntity<String> response = callWith("rk_" + "x".repeat(43));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(response.getBody()).contains("unknown API key");
    }

    @Test
    void aKeyActsWithinItsStores() {
        String key = apiKeys.issue("till of store 7 and 9", Set.of(9L, 7L));

        ResponseEntity<String> response = callWith(key);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("\"name\":\"api-key:till of store 7 and 9\"")
                .contains("\"allStores\":false").contains("\"storeIds\":[7,9]");
    }

    @Test
    void theTestKeySeesAllStores() {
        ResponseEntity<String> response = apiGet("/api/v1/caller");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("\"allStores\":true");
    }

    @Test
    void aRevokedKeyIsRefused() {
        String key = apiKeys.issue("till to retire", Set.of());
        assertThat(callWith(key).getStatusCode()).isEqualTo(HttpStatus.OK);
        ApiKey issued = apiKeys.describe(key).orElseThrow();

        apiKeys.revoke(issued.id());

        ResponseEntity<String> response = callWith(key);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).contains("revoked");
        assertThat(apiKeys.list()).filteredOn(k -> k.id() == issued.id()).singleElement()
                .satisfies(k -> assertThat(k.revokedAt()).isNotNull());
    }

    @Test
    void aKeyCallOpensNoSessionThatCouldStandInForTheKey() {
        String key = apiKeys.issue("till without cookies", Set.of());

        ResponseEntity<String> response = callWith(key);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
    }

    @Test
    void keysAreStoredOnlyAsHashes() {
        String key = apiKeys.issue("hash check", Set.of(3L));
        String secretPart = key.substring(12);

        List<Map<String, Object>> rows = jdbc.sql("select * from api_key").query().listOfRows();

        assertThat(rows).isNotEmpty();
        assertThat(rows.toString()).doesNotContain(key).doesNotContain(secretPart);
        assertThat(jdbc.sql("select count(*) from api_key where key_hash = :h").param("h", ApiKeys.hash(key))
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from audit_log where detail::text like :k").param("k", "%" + secretPart + "%")
                .query(Long.class).single()).isZero();
    }

    @Test
    void issuingAndRevokingAreAudited() {
        String key = apiKeys.issue("audited till", Set.of());
        long id = apiKeys.describe(key).orElseThrow().id();
        apiKeys.revoke(id);

        List<String> actions = jdbc.sql("select action from audit_log where subject_type = 'api_key' and subject_id = :id order by id")
                .param("id", Long.toString(id)).query(String.class).list();
        assertThat(actions).containsExactly("api-key.issued", "api-key.revoked");
    }

    @Test
    void healthStaysOpen() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/health", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("UP");
    }

    @Test
    void theApiDocumentationStaysOpenAndAsksForABearerKey() {
        ResponseEntity<String> docs = rest.getForEntity("/v3/api-docs", String.class);

        assertThat(docs.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(docs.getBody()).contains("\"scheme\":\"bearer\"").contains("/api/v1/caller");
        assertThat(rest.getForEntity("/api-docs-ui", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void consolePagesSendSignedOutVisitorsToTheLogin() {
        // TestRestTemplate follows the redirect, so what arrives is the login page.
        ResponseEntity<String> response = rest.getForEntity("/settings/api-keys", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("name=\"password\"").doesNotContain("rk_");
    }

    private ResponseEntity<String> callWith(String key) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        return rest.exchange("/api/v1/caller", HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }
}
