package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.regulars.IntegrationTest;
import app.regulars.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

class ImportsApiTest extends IntegrationTest {

    @Autowired Catalog catalog;
    @Autowired JdbcClient db;
    @Autowired ObjectMapper json;

    @Test
    void anUploadedFileBecomesAJobWhoseStatusAndErrorReportCanBeFetched() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String store = TestStores.ensure(db, catalog, "API-" + run);
        byte[] file = """
                单号,日期,货号,数量,金额
                A1-%1$s,2024-03-01 10:00,SKU-%1$s,2,19.80
                A2-%1$s,2024-03-01 10:00,SKU-%1$s,-1,9.90
                """.formatted(run).getBytes("GBK");

        ResponseEntity<String> started = upload(file, "收银导出.csv", store, true);

        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        long id = json.readTree(started.getBody()).get("id").asLong();
        JsonNode job = await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(apiGet("/api/v1/imports/" + id).getBody()),
                j -> j.get("finishedAt") != null && !j.get("finishedAt").isNull());
        assertThat(job.get("status").asText()).isEqualTo("done");
        assertThat(job.get("appliedCount").asLong()).isEqualTo(1);
        assertThat(job.get("errorCount").asLong()).isEqualTo(1);
        assertThat(job.get("message").asText()).startsWith("imported; rows with errors were skipped");
        assertThat(job.has("messageCode")).as("the console's code is not part of the API").isFalse();

        ResponseEntity<byte[]> report = rest.exchange("/api/v1/imports/" + id + "/errors.csv", HttpMethod.GET,
                new HttpEntity<>(bearer()), byte[].class);
        assertThat(report.getStatusCode()).isEqualTo(HttpStatus.OK);
        String text = new String(report.getBody(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF").contains("3,数量,a return without its original receipt number");
    }

    @Test
    void aFileThatIsNotTextIsRefusedWithAProblem() {
        ResponseEntity<String> response = upload(new byte[] {0, 1, 2, 3, (byte) 0xff}, "data.csv", null, false);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody()).contains("file").contains("not UTF-8 or GBK")
                .as("codes for the console stay out of the API's problems").doesNotContain("imports.file", "\"code\"");
    }

    @Test
    void anUnknownJobIs404() {
        assertThat(apiGet("/api/v1/imports/987654321").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private HttpHeaders bearer() {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(apiKey());
        return headers;
    }

    private ResponseEntity<String> upload(byte[] content, String name, String store, boolean skipInvalid) {
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return name;
            }
        });
        form.add("type", "receipts");
        if (store != null) {
            form.add("store", store);
        }
        form.add("skipInvalid", Boolean.toString(skipInvalid));
        HttpHeaders headers = bearer();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        return rest.exchange("/api/v1/imports", HttpMethod.POST, new HttpEntity<>(form, headers), String.class);
    }
}
