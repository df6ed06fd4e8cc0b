package app.regulars.console;

import app.regulars.insights.RuleSource;
import app.regulars.insights.Tag;
import app.regulars.insights.Tags;
import app.regulars.insights.rule.RuleError;
import app.regulars.platform.ApiProblem;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** 标签 / Tags: the list, a form for manual and automatic tags, and the CSV upload of (phone or card, tag). */
@Controller
class TagsPages {

    private final Tags tags;
    private final Reasons reasons;
    private final MessageSource messages;

    TagsPages(Tags tags, Reasons reasons, MessageSource messages) {
        this.tags = tags;
        this.reasons = reasons;
        this.messages = messages;
    }

    @GetMapping("/tags")
    String list(Model model, Locale locale) {
        List<Tag> all = tags.list();
        model.addAttribute("tags", all);
        if (!ChainWideOnly.mayEdit()) {
            Map<Long, Long> ours = tags.visibleMembers();
            model.addAttribute("ours", all.stream().collect(Collectors.toMap(Tag::id, d -> ours.getOrDefault(d.id(), 0L))));
        }
        model.addAttribute("problems", problems(all, locale));
        return "tags/list";
    }

    /** Why each automatic tag that cannot be evaluated now cannot, by id, in the reader's language. */
    private Map<Long, String> problems(List<Tag> all, Locale locale) {
        Map<Long, String> problems = new HashMap<>();
        all.stream().filter(t -> t.problem() != null).forEach(t -> problems.put(t.id(), reasons.of(t.problem(), locale)));
        return problems;
    }

    @PostMapping("/tags")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String description,
                  @RequestParam(defaultValue = "") String text, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            tags.create(name, description, text.isBlank() ? null : RuleSource.ofText(text));
            redirect.addFlashAttribute("saved", name.strip());
        } catch (RuleError e) {
            redirect.addFlashAttribute("error", reasons.of(e.problems().getFirst().located(), locale));
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("error", reasons.first(p, locale));
        }
        return "redirect:/tags";
    }

    @PostMapping("/tags/upload")
    String upload(@RequestParam("file") MultipartFile file, RedirectAttributes redirect, Locale locale) throws IOException {
        ChainWideOnly.require();
        try {
            Tags.UploadReport report = tags.upload(file.getBytes());
            redirect.addFlashAttribute("report", report);
            redirect.addFlashAttribute("refusals", report.refused().stream().map(r -> refusal(r, locale)).toList());
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("error", reasons.first(p, locale));
        }
        return "redirect:/tags";
    }

    /** A refused row (by its line) or tag of an upload, and why, in the reader's language. */
    private String refusal(Tags.Refused refused, Locale locale) {
        String where = refused.row() != null ? messages.getMessage("tags.upload.row", new Object[] {refused.row()}, locale)
                : messages.getMessage("tags.upload.tag", new Object[] {refused.tag()}, locale);
        return reasons.at(where, reasons.of(refused.reason(), locale), locale);
    }

    @PostMapping("/tags/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
        ChainWideOnly.require();
        try {
            tags.delete(id);
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("error", reasons.firstOrGone(p, locale));
        }
        return "redirect:/tags";
    }
}
