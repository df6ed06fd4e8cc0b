package app.regulars.console;

import app.regulars.access.Callers;
import app.regulars.access.PasswordChange;
import app.regulars.access.UserAccount;
import app.regulars.access.Users;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Sign-in and choosing one's own password. Spring Security handles the POST of /login and /logout. */
@Controller
class SignInPages {

    private final Users users;

    SignInPages(Users users) {
        this.users = users;
    }

    @GetMapping("/login")
    String login() {
        return "access/login";
    }

    @GetMapping("/account/password")
    String passwordForm(Model model) {
        model.addAttribute("forced", mustChange());
        model.addAttribute("minLength", Users.MIN_PASSWORD_LENGTH);
        return "access/password";
    }

    @PostMapping("/account/password")
    String changePassword(@RequestParam String current, @RequestParam String next, @RequestParam String confirm,
                          Model model, RedirectAttributes redirect) {
        String error;
        if (!next.equals(confirm)) {
            error = "MISMATCH";
        } else {
            PasswordChange outcome = users.changePassword(Callers.current().name(), current, next);
            if (outcome == PasswordChange.CHANGED) {
                redirect.addFlashAttribute("notice", "password.changed");
                return "redirect:/";
            }
            error = outcome.name();
        }
        model.addAttribute("error", error);
        return passwordForm(model);
    }

    private boolean mustChange() {
        return users.find(Callers.current().name()).map(UserAccount::mustChangePassword).orElse(false);
    }
}
