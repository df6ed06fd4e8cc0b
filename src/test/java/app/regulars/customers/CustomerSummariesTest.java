package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

class CustomerSummariesTest extends IntegrationTest {

    @Autowired Customers customers;

    private long customer() {
        return customers.resolveOrCreate(Identity.ofPhone(TestPhones.fresh()), null, "pos");
    }

    @Test
    void summariesComeInTheAskedOrderWithAMergedIdAnsweredByItsSurvivorAndUnknownIdsLeftOut() {
        long first = customer();
        long second = customer();
        long merged = customer();
        ResponseEntity<String> merge = apiPost("/api/v1/customers/merge",
                "{\"survivorId\":%d,\"mergedId\":%d}".formatted(first, merged));
        assertThat(merge.getStatusCode().value()).as(merge.getBody()).isEqualTo(200);

        List<CustomerSummary> found = customers.summaries(List.of(second, 999_999_999L, merged, first));

        assertThat(found).extracting(CustomerSummary::id).containsExactly(second, first, first);
        assertThat(found.getFirst()).isEqualTo(customers.summary(second).orElseThrow());
        assertThat(customers.summaries(List.of())).isEmpty();
    }
}
