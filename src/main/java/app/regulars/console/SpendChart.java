package app.regulars.console;

import app.regulars.purchases.MonthlySpend;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A customer's last two years of spend as bars, one a month, drawn as SVG on the server: the 360 page's
 * stats arrive by htmx, where a chart script would have to be loaded and started after the swap. WHY A
 * CHART: a regular's rhythm (every six weeks, then nothing since spring) is seen at a glance and read
 * slowly from a timeline.
 *
 * @param bars  one per month, oldest first, empty months included (no bar drawn)
 * @param top   the net spend the full height stands for, in yuan
 */
record SpendChart(List<Bar> bars, String top) {

    static final int MONTHS = 24;
    static final double WIDTH = 720;
    static final double HEIGHT = 100;
    private static final double SLOT = WIDTH / MONTHS;

    /**
     * A month's bar in the chart's coordinates (x, y of its top, height), its axis label ("" for most
     * months; the year at January and at the first month) and what hovering it says.
     */
    record Bar(double x, double y, double height, double width, String label, boolean yearLabel, String tip) {}

    /** Null when the customer bought nothing in the two years: the page says nothing rather than draw zeros. */
    static SpendChart of(List<MonthlySpend> months, YearMonth from,
                         Function<MonthlySpend, String> tooltip) {
        if (months.isEmpty()) {
            return null;
        }
        Map<YearMonth, MonthlySpend> byMonth = new HashMap<>();
        months.forEach(m -> byMonth.put(m.month(), m));
        long max = Math.max(1, months.stream().mapToLong(MonthlySpend::netCents).max().orElse(1));
        List<Bar> bars = new ArrayList<>(MONTHS);
        for (int i = 0; i < MONTHS; i++) {
            YearMonth month = from.plusMonths(i);
            MonthlySpend m = byMonth.get(month);
            double h = m == null ? 0 : HEIGHT * Math.max(0, m.netCents()) / max;
            boolean year = i == 0 || month.getMonthValue() == 1;
            String label = year ? String.valueOf(month.getYear())
                    : month.getMonthValue() % 3 == 1 ? String.format("%02d", month.getMonthValue()) : "";
            bars.add(new Bar(i * SLOT + SLOT * 0.15, HEIGHT - h, h, SLOT * 0.7, label, year,
                    m == null ? month.toString() : tooltip.apply(m)));
        }
        return new SpendChart(bars, PurchaseSections.yuan(max));
    }
}
