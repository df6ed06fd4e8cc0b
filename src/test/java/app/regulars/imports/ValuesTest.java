package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void moneyIsReadToCentsAndNeverRounded() {
        assertThat(Values.cents("6.95")).isEqualTo(695);
        assertThat(Values.cents("¥1,299.00")).isEqualTo(129900);
        assertThat(Values.cents("-3")).isEqualTo(-300);
        assertThatThrownBy(() -> Values.cents("0.001")).isInstanceOf(BadValue.class).hasMessage("tooManyDecimals");
        assertThatThrownBy(() -> Values.cents("abc")).isInstanceOf(BadValue.class);
    }

    @Test
    void datesAreReadInTheStoresTimezone() {
        Values.DateReader dates = new Values.DateReader(null);
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        assertThat(dates.instant("2009-12-01 07:45:00", shanghai)).isEqualTo(Instant.parse("2009-11-30T23:45:00Z"));
        assertThat(dates.instant("2024/3/5 9:05", shanghai)).isEqualTo(Instant.parse("2024-03-05T01:05:00Z"));
        assertThat(dates.instant("2024年3月5日", shanghai)).isEqualTo(Instant.parse("2024-03-04T16:00:00Z"));
        assertThat(new Values.DateReader("dd/MM/yyyy HH:mm").instant("05/03/2024 09:05", shanghai))
                .isEqualTo(Instant.parse("2024-03-05T01:05:00Z"));
        assertThat(dates.instant("2024-03-05T09:05:00-05:00", shanghai)).isEqualTo(Instant.parse("2024-03-05T14:05:00Z"));
        assertThat(dates.instant("2024-03-05T09:05:00Z", shanghai)).isEqualTo(Instant.parse("2024-03-05T09:05:00Z"));
        assertThatThrownBy(() -> dates.instant("next tuesday", shanghai)).isInstanceOf(BadValue.class);
        assertThatThrownBy(() -> dates.instant("2024-02-30", shanghai)).isInstanceOf(BadValue.class);
    }

    @Test
    void phoneLikeValuesAreMaskedInPreviews() {
        assertThat(Imports.mask("13800138000")).isEqualTo("138****8000");
        assertThat(Imports.mask("张三")).isEqualTo("张三");
        assertThat(Imports.mask("12")).isEqualTo("12");
    }
}
