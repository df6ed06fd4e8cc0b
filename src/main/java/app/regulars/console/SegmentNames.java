package app.regulars.console;

import app.regulars.insights.Segment;
import app.regulars.insights.Segments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * How the console shows a segment: a built-in that keeps its built-in name by its translated label
 * (沉睡顾客 for "sleeping"), every other segment by its own name. Rules and the API keep the stored name.
 */
@Component
class SegmentNames {

    private final MessageSource messages;

    SegmentNames(MessageSource messages) {
        this.messages = messages;
    }

    String of(Segment segment, Locale locale) {
        return of(segment.name(), segment.labelKey(), locale);
    }

    String of(Segments.OnCustomer segment, Locale locale) {
        return of(segment.name(), segment.labelKey(), locale);
    }

    /** Display names by segment id, in the list's order. */
    Map<Long, String> byId(List<Segment> segments, Locale locale) {
        Map<Long, String> names = new LinkedHashMap<>();
        segments.forEach(s -> names.put(s.id(), of(s, locale)));
        return names;
    }

    private String of(String name, String labelKey, Locale locale) {
        return labelKey == null ? name : messages.getMessage(labelKey, null, name, locale);
    }
}
