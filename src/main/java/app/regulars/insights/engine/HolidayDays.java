package app.regulars.insights.engine;

import java.util.List;

/**
 * The days of the holiday calendar's seasons, for holiday_share: each holiday from its run-up to its
 * last day after ({@code windowBefore} / {@code windowAfter} on the holidays page), as marketers set
 * them. WHY THE CALENDAR'S WINDOWS: 年货 shopping starts two weeks before Spring Festival and 双11
 * presales ten days before, while a gift day has nothing after; one fixed reach for all would count the
 * wrong days for most of them.
 */
final class HolidayDays {

    /** A holiday's season, epoch days, both included. */
    record Season(int first, int last) {}

    static final HolidayDays NONE = new HolidayDays(List.of());

    private final int first;
    private final boolean[] within;

    HolidayDays(List<Season> seasons) {
        int lo = seasons.stream().mapToInt(Season::first).min().orElse(0);
        int hi = seasons.stream().mapToInt(Season::last).max().orElse(-1);
        first = lo;
        within = new boolean[Math.max(0, hi - lo + 1)];
        for (Season s : seasons) {
            for (int d = s.first(); d <= s.last(); d++) {
                within[d - lo] = true;
            }
        }
    }

    boolean near(int day) {
        int i = day - first;
        return i >= 0 && i < within.length && within[i];
    }
}
