package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.access.ApiKeys;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.StoreFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
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
import org.springframework.jdbc.core.JdbcTemplate;

class CustomerIdentitiesTest extends IntegrationTest {

    @Autowired CustomerProfiles profiles;
    @Autowired Customers customers;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;
    @Autowired ApiKeys apiKeys;
    @Autowired Catalog catalog;

    @Test
    void aSecondCardFindsTheCustomerAndAPhoneGivenUpStopsFindingThem() throws Exception {
        String oldPhone = TestPhones.fresh();
        String newPhone = TestPhones.fresh();
        String card = TestPhones.freshCard();
        long id = register(Map.of("phone", oldPhone, "name", "钱红"));

        ResponseEntity<String> added = attach(id, Map.of("kind", "card", "value", card.toLowerCase()));
        assertThat(added.getStatusCode()).as(added.getBody()).isEqualTo(HttpStatus.CREATED);
        assertThat(profiles.searchByCard(card)).extracting(CustomerSummary::id).containsExactly(id);
        assertThat(profiles.profile(id).orElseThrow().cardNo()).isEqualTo(card); // the profile had no card
        assertThat(attach(id, Map.of("kind", "card", "value", card)).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(attach(id, Map.of("kind", "phone", "value", newPhone)).getStatusCode()).isEqualTo(HttpStatus.CREATED);

        String oldHandle = handle(id, "phone", oldPhone.substring(7));
        ResponseEntity<String> detached = api(HttpMethod.DELETE, "/api/v1/customers/" + id + "/identities/" + oldHandle, null);
        assertThat(detached.getStatusCode()).as(detached.getBody()).isEqualTo(HttpStatus.NO_CONTENT);

        assertThat(profiles.searchByPhone(oldPhone)).isEmpty();
        assertThat(customers.find(Identity.ofPhone(oldPhone))).isEmpty();
        assertThat(profiles.searchByPhone(newPhone)).extracting(CustomerSummary::id).containsExactly(id);
        // The profile shows the phone that still finds them, not the one given up.
        assertThat(profiles.profile(id).orElseThrow().phoneMasked()).endsWith(newPhone.substring(7));
        assertThat(identities(id)).extracting(i -> i.get("kind").asText()).containsExactlyInAnyOrder("card", "phone");
        // A receipt with the old phone now registers someone new: the number is no longer theirs.
        assertThat(customers.resolveOrCreate(Identity.ofPhone(oldPhone), null, "pos")).isNotEqualTo(id);
    }

    @Test
    void theFeedSaysWhichKindChangedAndNeverTheValue() throws Exception {
        String phone = TestPhones.fresh();
        long id = register(Map.of("phone", phone));
        String openId = "oWx" + Long.toString(System.nanoTime(), 36);
        assertThat(attach(id, Map.of("kind", "wechat_openid", "value", openId)).getStatusCode()).isEqualTo(HttpStatus.CREATED);
        api(HttpMethod.DELETE, "/api/v1/customers/" + id + "/identities/" + handle(id, "wechat_openid", openId.substring(0, 4)),
                null);

        List<String> payloads = jdbc.queryForList("select payload::text from event_feed where customer_id = ?"
                + " and type = 'customer.updated' and payload->>'identity' is not null order by id", String.class, id);
        assertThat(payloads).hasSize(2);
        assertThat(payloads.get(0)).contains("\"identity\":\"attached\"", "\"identityKind\":\"wechat_openid\"");
        assertThat(payloads.get(1)).contains("\"identity\":\"detached\"");
        assertThat(String.join(" ", payloads)).doesNotContain(openId, phone);
    }

    @Test
    void anIdentityOfAnotherCustomerIsRefusedWithWhoHasItAndStaysTheirs() throws Exception {
        String theirCard = TestPhones.freshCard();
        long holder = register(Map.of("phone", TestPhones.fresh(), "cardNo", theirCard));
        long id = register(Map.of("phone", TestPhones.fresh()));

        ResponseEntity<String> refused = attach(id, Map.of("kind", "card", "value", theirCard));
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(json.readTree(refused.getBody()).get("errors").get(0).get("reason").asText())
                .isEqualTo("belongs to customer #" + holder + ": merge the two first (POST /api/v1/customers/merge)");
        assertThat(profiles.searchByCard(theirCard)).extracting(CustomerSummary::id).containsExactly(holder);
        assertThat(identities(id)).hasSize(1);
    }

    @Test
    void theLastIdentityIsKeptSoATillCanStillFindTheCustomer() throws Exception {
        String phone = TestPhones.fresh();
        long id = register(Map.of("phone", phone));
        ResponseEntity<String> refused = api(HttpMethod.DELETE,
                "/api/v1/customers/" + id + "/identities/" + handle(id, "phone", phone.substring(7)), null);
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.getBody()).contains("last identity");
        assertThat(profiles.searchByPhone(phone)).extracting(CustomerSummary::id).containsExactly(id);
        assertThat(profiles.profile(id).orElseThrow().phoneMasked()).isNotNull();
    }

    @Test
    void badIdentitiesAreRefusedAtTheirFieldAndNothingIsWritten() throws Exception {
        long id = register(Map.of("phone", TestPhones.fresh()));
        assertRefused(attach(id, Map.of("kind", "email", "value", "a@b.cn")), HttpStatus.BAD_REQUEST, "kind");
        assertRefused(attach(id, Map.of("kind", "phone", "value", "12345")), HttpStatus.BAD_REQUEST, "value");
        assertRefused(attach(id, Map.of("kind", "card", "value", " ")), HttpStatus.BAD_REQUEST, "value");
        assertRefused(attach(id, Map.of("kind", "card", "value", "X".repeat(201))), HttpStatus.BAD_REQUEST, "value");
        assertRefused(attach(id, Map.of("kind", "external", "value", "P-1")), HttpStatus.BAD_REQUEST, "source");
        assertThat(identities(id)).hasSize(1);

        assertThat(api(HttpMethod.DELETE, "/api/v1/customers/" + id + "/identities/not-a-handle", null).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        String othersHandle = identities(register(Map.of("phone", TestPhones.fresh()))).getFirst().get("handle").asText();
        assertThat(api(HttpMethod.DELETE, "/api/v1/customers/" + id + "/identities/" + othersHandle, null).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(attach(Long.MAX_VALUE, Map.of("kind", "card", "value", "VIP1")).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void anExternalIdIsTheSourcesOwnNumber() throws Exception {
        long id = register(Map.of("phone", TestPhones.fresh()));
        String number = "M" + Long.toString(System.nanoTime(), 36);
        assertThat(attach(id, Map.of("kind", "external", "source", "Kingdee", "value", number)).getStatusCode())
                .isEqualTo(HttpStatus.CREATED);
        assertThat(customers.find(Identity.ofExternal("kingdee", number))).contains(id);
        assertThat(customers.find(Identity.ofExternal("youzan", number))).isEmpty();
    }

    @Test
    void aStoreKeyChangesNoIdentityOfAnotherStoresCustomer() throws Exception {
        long ours = StoreFixtures.create(catalog, "IDS" + Long.toString(System.nanoTime(), 36)).id();
        long theirs = StoreFixtures.create(catalog, "IDT" + Long.toString(System.nanoTime(), 36)).id();
        String key = apiKeys.issue("till", Set.of(ours));
        String phone = TestPhones.fresh();
        long customer = register(Map.of("phone", phone, "homeStoreId", theirs, "cardNo", TestPhones.freshCard()));
        String handle = handle(customer, "phone", phone.substring(7));

        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        headers.setContentType(MediaType.APPLICATION_JSON);
        assertThat(rest.exchange("/api/v1/customers/" + customer + "/identities/" + handle, HttpMethod.DELETE,
                new HttpEntity<>(null, headers), String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(rest.exchange("/api/v1/customers/" + customer + "/identities", HttpMethod.POST,
                new HttpEntity<>(Map.of("kind", "card", "value", TestPhones.freshCard()), headers), String.class)
                .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(identities(customer)).hasSize(2);
    }

    private long register(Map<String, Object> body) throws Exception {
        ResponseEntity<String> created = apiPost("/api/v1/customers", body);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.CREATED);
        return json.readTree(created.getBody()).get("id").asLong();
    }

    private ResponseEntity<String> attach(long id, Map<String, String> body) {
        return apiPost("/api/v1/customers/" + id + "/identities", body);
    }

    private List<JsonNode> identities(long id) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        json.readTree(apiGet("/api/v1/customers/" + id + "/identities").getBody()).forEach(list::add);
        return list;
    }

    /** The handle of the customer's identity of this kind whose shown form ends (or starts) with a part of it. */
    private String handle(long id, String kind, String part) throws Exception {
        return identities(id).stream().filter(i -> i.get("kind").asText().equals(kind))
                .filter(i -> i.get("shown").asText().endsWith(part) || i.get("shown").asText().startsWith(part))
                .findFirst().orElseThrow().get("handle").asText();
    }

    private void assertRefused(ResponseEntity<String> response, HttpStatus status, String field) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(json.readTree(response.getBody()).get("errors").get(0).get("field").asText()).isEqualTo(field);
    }
}
