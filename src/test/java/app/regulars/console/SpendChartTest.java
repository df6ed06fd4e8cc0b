package app.regulars.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.purchases.MonthlySpend;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendChartTest {

    private static final YearMonth FROM = YearMonth.of(2024, 12);

    @Test
    void theBestMonthFillsTheHeightAndTheOthersScaleToIt() {
        SpendChart chart = SpendChart.of(List.of(new MonthlySpend(YearMonth.of(2025, 3), 2, 40_000, 0),
                new MonthlySpend(YearMonth.of(2025, 5), 1, 10_000, 0)), FROM, MonthlySpend::toString);
        assertThat(chart.bars()).hasSize(24);
        assertThat(chart.bars().get(3).height()).isEqualTo(SpendChart.HEIGHT);
        assertThat(chart.bars().get(5).height()).isEqualTo(SpendChart.HEIGHT / 4);
        assertThat(chart.bars().get(4).height()).isZero();
        assertThat(chart.top()).isEqualTo("400.00");
    }

    @Test
    void aMonthWhoseRefundOutweighedItsSalesDrawsNoBarAndStillSaysSo() {
        SpendChart chart = SpendChart.of(List.of(new MonthlySpend(YearMonth.of(2025, 1), 1, 30_000, 0),
                new MonthlySpend(YearMonth.of(2025, 2), 0, 0, 10_000)), FROM, m -> "refund " + m.refundCents());
        assertThat(chart.bars().get(2).height()).isZero();
        assertThat(chart.bars().get(2).tip()).isEqualTo("refund 10000");
        assertThat(chart.bars().get(1).height()).isEqualTo(SpendChart.HEIGHT);
    }

    @Test
    void yearsAreNamedAtTheStartAndAtEachJanuaryAndEveryThirdMonthByNumber() {
        SpendChart chart = SpendChart.of(List.of(new MonthlySpend(FROM, 1, 100, 0)), FROM, m -> "");
        assertThat(chart.bars().get(0).label()).isEqualTo("2024");
        assertThat(chart.bars().get(1).label()).isEqualTo("2025");
        assertThat(chart.bars().get(1).yearLabel()).isTrue();
        assertThat(chart.bars().get(4).label()).isEqualTo("04");
        assertThat(chart.bars().get(5).label()).isEmpty();
    }

    @Test
    void noPurchasesInTheTwoYearsDrawNoChart() {
        assertThat(SpendChart.of(List.of(), FROM, m -> "")).isNull();
    }
}
