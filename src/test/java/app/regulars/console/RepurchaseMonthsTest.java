package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.Insights.MonthlyRepurchase;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The monthly repurchase chart's months run without holes: a month nobody bought in is on the axis, with no rate. */
class RepurchaseMonthsTest {

    @Test
    void aMonthWithoutBuyersStaysOnTheAxisWithoutARate() {
        Map<String, Object> charts = new LinkedHashMap<>();

        RepurchasePage.repurchase(List.of(new MonthlyRepurchase(YearMonth.of(2025, 12), 40, 10),
                new MonthlyRepurchase(YearMonth.of(2026, 3), 20, 15)), charts);

        assertThat(charts.get("months")).isEqualTo(List.of("2025-12", "2026-01", "2026-02", "2026-03"));
        assertThat(charts.get("buyers")).isEqualTo(List.of(40L, 0L, 0L, 20L));
        assertThat(charts.get("rates")).isEqualTo(java.util.Arrays.asList(25.0, null, null, 75.0));
    }
}
