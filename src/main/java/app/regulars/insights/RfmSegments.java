package app.regulars.insights;

import java.util.List;

/** The standard named RFM segments, best first; score rules in docs/decisions/0011-insights-engine.md. */
public final class RfmSegments {

    public static final List<String> NAMES = List.of("Champions", "Loyal", "Potential loyalist", "New", "Promising",
            "Need attention", "About to sleep", "At risk", "Can't lose them", "Hibernating", "Lost");

    private RfmSegments() {}
}
