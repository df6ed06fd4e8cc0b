package app.regulars.console;

import app.regulars.insights.RuleSource;
import app.regulars.insights.Tags;
import app.regulars.insights.rule.RuleError;
import app.regulars.platform.ApiProblem;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    TagsPages(Tags tags) {
        this.tags = tags;
    }

    @GetMapping("/tags")
    String list(Model model) {
        model.addAttribute("tags", tags.list());
        return "tags/list";
    }

    @PostMapping("/tags")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String description,
                  @RequestParam(defaultValue = "") String text, RedirectAttributes redirect) {
        try {
            tags.create(name, description, text.isBlank() ? null : RuleSource.ofText(text));
            redirect.addFlashAttribute("saved", name.strip());
        } catch (RuleError e) {
            redirect.addFlashAttribute("error", e.problems().getFirst().describe());
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("error", p.errors().isEmpty() ? p.getMessage() : p.errors().getFirst().reason());
        }
        return "redirect:/tags";
    }

    @PostMapping("/tags/upload")
    String upload(@RequestParam("file") MultipartFile file, RedirectAttributes redirect) throws IOException {
        try (InputStreamReader reader = new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8)) {
            redirect.addFlashAttribute("report", tags.upload(reader));
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("error", p.errors().isEmpty() ? p.getMessage() : p.errors().getFirst().reason());
        }
        return "redirect:/tags";
    }

    @PostMapping("/tags/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        try {
            tags.delete(id);
        } catch (ApiProblem p) {
            redirect.addFlashAttribute("error", p.errors().isEmpty() ? p.getMessage() : p.errors().getFirst().reason());
        }
        return "redirect:/tags";
    }
}
