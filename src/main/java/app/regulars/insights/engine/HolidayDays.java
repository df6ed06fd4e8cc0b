package app.regulars.insights.engine;

import java.util.List;

/** The days within ±7 of a holiday of the catalog's calendar, for holiday_share. */
final class HolidayDays {

    static final int REACH = 7;
    static final HolidayDays NONE = new HolidayDays(List.of());

    private final int first;
    private final boolean[] near;

    HolidayDays(List<Integer> holidays) {
        int lo = holidays.stream().mapToInt(Integer::intValue).min().orElse(0) - REACH;
        int hi = holidays.stream().mapToInt(Integer::intValue).max().orElse(0) + REACH;
        first = lo;
        near = new boolean[holidays.isEmpty() ? 0 : hi - lo + 1];
        for (int h : holidays) {
            for (int d = h - REACH; d <= h + REACH; d++) {
                near[d - lo] = true;
            }
        }
    }

    boolean near(int day) {
        int i = day - first;
        return i >= 0 && i < near.length && near[i];
    }
}
