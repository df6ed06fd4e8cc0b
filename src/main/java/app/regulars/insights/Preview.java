package app.regulars.insights;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a rule would match now, before it is saved.
 *
 * @param share   count / population, 0 when the index is empty
 * @param sample  a few matching customers, masked
 * @param warning "everyone" or "no one" when the rule matches all or none of the customers, else null
 * @param text    the rule's canonical text
 * @param rule    the rule's versioned JSON
 */
public record Preview(int count, int population, double share, List<SampleCustomer> sample, String warning,
                      String text, JsonNode rule) {

    /** A matching customer as a preview shows them: masked name and phone, never the full values. */
    public record SampleCustomer(long id, String name, String phone, String city) {}
}
