package app.regulars.console;

import app.regulars.access.Callers;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's front page: where to go from here. */
@Controller
class OverviewPage {

    @GetMapping("/")
    String overview(Model model) {
        model.addAttribute("caller", Callers.current());
        return "overview";
    }
}
