package app.regulars.console;

import app.regulars.catalog.CustomHoliday;
import app.regulars.catalog.Holiday;
import app.regulars.catalog.HolidayCalendar;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.RegularsProperties;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** A year of holidays with their marketing windows, and the chain's own holidays. */
@Controller
class HolidaysPages {

    record HolidayForm(String code, String nameZh, String nameEn, String date, String windowBefore, String windowAfter) {

        static HolidayForm empty() {
            return new HolidayForm("", "", "", "", "3", "0");
        }
    }

    private final HolidayCalendar holidays;
    private final MessageSource messages;
    private final Clock clock;

    HolidaysPages(HolidayCalendar holidays, MessageSource messages, Clock clock, RegularsProperties properties) {
        this.holidays = holidays;
        this.messages = messages;
        this.clock = clock.withZone(properties.timezone());
    }

    @GetMapping("/holidays")
    String holidays(@RequestParam(required = false) Integer year, Model model) {
        return page(model, year == null ? today().getYear() : year, HolidayForm.empty(), Map.of());
    }

    @PostMapping("/holidays")
    String addHoliday(HolidayForm form, Model model, Locale locale) {
        ChainWideOnly.require();
        CatalogFormErrors errors = new CatalogFormErrors(messages, locale);
        LocalDate date = errors.date("date", form.date());
        Integer before = errors.integer("windowBefore", form.windowBefore());
        Integer after = errors.integer("windowAfter", form.windowAfter());
        if (errors.isEmpty()) {
            try {
                Holiday saved = holidays.addCustom(new CustomHoliday(form.code(), form.nameZh(), form.nameEn(), date,
                        before, after));
                return "redirect:/holidays?year=" + saved.date().getYear() + "&saved=holiday";
            } catch (ApiProblem problem) {
                errors.addAll(problem);
            }
        }
        return page(model, date == null ? today().getYear() : date.getYear(), form, errors.byField());
    }

    private String page(Model model, int year, HolidayForm form, Map<String, String> errors) {
        // The calendar is computed for 1901–2099; outside that there is nothing to show.
        int shown = Math.clamp(year, 1901, 2099);
        List<Holiday> list = holidays.between(LocalDate.of(shown, 1, 1), LocalDate.of(shown, 12, 31));
        model.addAttribute("year", shown);
        model.addAttribute("years", IntStream.rangeClosed(shown - 5, shown + 5).filter(y -> y >= 1901 && y <= 2099).boxed().toList());
        model.addAttribute("holidays", list);
        model.addAttribute("today", today());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "catalog/holidays";
    }

    /** The chain's calendar day; holidays are dates, not instants. */
    private LocalDate today() {
        return LocalDate.now(clock);
    }
}
