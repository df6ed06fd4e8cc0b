package app.regulars.console;

import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.platform.ApiProblem;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Defining and deactivating custom fields; they show on customer pages at once. */
@Controller
class CustomFieldsPages {

    private final CustomFields fields;
    private final Reasons reasons;

    CustomFieldsPages(CustomFields fields, Reasons reasons) {
        this.fields = fields;
        this.reasons = reasons;
    }

    @GetMapping("/custom-fields")
    String list(Model model) {
        model.addAttribute("fields", fields.allDefinitions());
        model.addAttribute("types", CustomField.Type.values());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "customers/custom-fields";
    }

    @PostMapping("/custom-fields")
    String define(@RequestParam String key, @RequestParam String labelZh, @RequestParam(defaultValue = "") String labelEn,
                  @RequestParam(defaultValue = "text") String type, @RequestParam(defaultValue = "") String choices,
                  @RequestParam(defaultValue = "false") boolean required, Model model, Locale locale) {
        ChainWideOnly.require();
        CustomField.Type t;
        try {
            t = CustomField.Type.valueOf(type);
        } catch (IllegalArgumentException e) {
            t = null;
        }
        try {
            fields.define(new CustomField(key.strip(), labelZh, labelEn, t,
                    Arrays.stream(choices.split("[,，、]")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
                    required, true));
        } catch (ApiProblem problem) {
            model.addAttribute("errors", reasons.byField(problem.errors(), locale));
            model.addAttribute("draft", Map.of("key", key, "labelZh", labelZh, "labelEn", labelEn, "type", type,
                    "choices", choices));
            return list(model);
        }
        return "redirect:/custom-fields";
    }

    @PostMapping("/custom-fields/{key}/deactivate")
    String deactivate(@PathVariable String key) {
        ChainWideOnly.require();
        fields.deactivate(key);
        return "redirect:/custom-fields";
    }
}
