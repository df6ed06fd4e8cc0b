package app.regulars.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.regulars.platform.ApiProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PhoneNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"13812341234", "+86 138 1234 1234", "0086-138-1234-1234", "8613812341234",
            "138-1234-1234", " (138) 1234 1234 ", "＋8613812341234"})
    void mainlandMobilesInAnyFormatBecomeElevenDigits(String raw) {
        assertThat(PhoneNumber.tryParse(raw)).map(PhoneNumber::value).contains("13812341234");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+44 20 7123 4567", "0044 20 7123 4567", "+44-20-7123-4567"})
    void otherNumbersBecomeE164(String raw) {
        assertThat(PhoneNumber.tryParse(raw)).map(PhoneNumber::value).contains("+442071234567");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "12812341234", "1381234123", "02012345678", "+123", "+1234567890123456",
            "138 1234 1234 ext 5"})
    void whatCannotBeNormalisedIsRefused(String raw) {
        assertThat(PhoneNumber.tryParse(raw)).isEmpty();
    }

    @Test
    void theRefusalNamesTheFieldButNotTheValue() {
        assertThatThrownBy(() -> PhoneNumber.parse("13x-secret-99", "customer.phone"))
                .isInstanceOf(ApiProblem.class)
                .hasMessageStartingWith("customer.phone: cannot be normalised")
                .hasMessageNotContaining("secret");
    }

    @Test
    void numbersAreMaskedForDisplay() {
        assertThat(PhoneNumber.tryParse("13812341234").orElseThrow().masked()).isEqualTo("138****1234");
        assertThat(PhoneNumber.tryParse("13812341234").orElseThrow().toString()).isEqualTo("138****1234");
    }
}
