package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.insights.Insights.CohortCell;
import app.regulars.insights.Insights.CohortValue;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lifetime value curve averages each month over the customers who have lived that long, refunds taken off. */
class LifetimeValueCurveTest {

    private static final YearMonth JAN = YearMonth.of(2026, 1);
    private static final YearMonth FEB = YearMonth.of(2026, 2);

    @Test
    void eachMonthAveragesOnlyTheCohortsOldEnoughToHaveReachedIt() {
        Map<String, Object> charts = new LinkedHashMap<>();
        RepurchasePage.lifetimeValue(
                List.of(new CohortCell(JAN, 0, 10), new CohortCell(JAN, 2, 3), new CohortCell(FEB, 0, 5),
                        new CohortCell(FEB, 1, 2)),
                List.of(new CohortValue(JAN, 0, 100_000), new CohortValue(JAN, 1, 50_000),
                        new CohortValue(JAN, 2, -10_000), new CohortValue(FEB, 0, 25_000), new CohortValue(FEB, 1, 25_000)),
                charts);

        // Month 0: ¥1,250 over 15 customers; month 2 only January's 10 (February's are one month old).
        assertThat(charts.get("ltv")).isEqualTo(List.of(83.33, 133.33, 140.0));
        assertThat(charts.get("ltvCustomers")).isEqualTo(List.of(15L, 15L, 10L));
    }

    @Test
    void noPurchasesDrawNoCurve() {
        Map<String, Object> charts = new LinkedHashMap<>();
        RepurchasePage.lifetimeValue(List.of(), List.of(), charts);
        assertThat(charts.get("ltv")).isEqualTo(List.of());
    }
}
