package app.regulars.console;

import app.regulars.access.ApiKeys;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.RegularsProperties;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Owner-only settings: API keys for the tills and console users (the security chain restricts /settings). */
@Controller
class SettingsPages {

    private final ApiKeys apiKeys;
    private final Users users;
    private final ObjectProvider<Catalog> catalog;
    private final ZoneId zone;

    SettingsPages(ApiKeys apiKeys, Users users, ObjectProvider<Catalog> catalog, RegularsProperties properties) {
        this.apiKeys = apiKeys;
        this.users = users;
        this.catalog = catalog;
        this.zone = properties.timezone() != null ? properties.timezone() : ZoneId.of("Asia/Shanghai");
    }

    @GetMapping("/settings")
    String settings() {
        return "redirect:/settings/api-keys";
    }

    @GetMapping("/settings/api-keys")
    String apiKeys(Model model) {
        model.addAttribute("keys", apiKeys.list());
        model.addAttribute("storeNames", storeNames());
        model.addAttribute("zone", zone);
        return "settings/api-keys";
    }

    /** Shows the new key in the response itself: it is never stored in plain text, not even in the session. */
    @PostMapping("/settings/api-keys")
    String issueKey(@RequestParam String name, @RequestParam(defaultValue = "") String stores, Model model) {
        Optional<Set<Long>> scope = StoreScope.parse(stores);
        if (name.isBlank() || name.strip().length() > 100) {
            model.addAttribute("error", "apiKeys.error.name");
        } else if (scope.isEmpty()) {
            model.addAttribute("error", "settings.error.stores");
        } else {
            model.addAttribute("issuedName", name.strip());
            model.addAttribute("issuedKey", apiKeys.issue(name, scope.get()));
        }
        model.addAttribute("name", name);
        model.addAttribute("stores", stores);
        return apiKeys(model);
    }

    /** Called by htmx; answers the key's table row in its revoked state. */
    @PostMapping("/settings/api-keys/{id}/revoke")
    String revokeKey(@PathVariable long id, Model model) {
        apiKeys.revoke(id);
        model.addAttribute("key", apiKeys.list().stream().filter(k -> k.id() == id).findFirst().orElseThrow());
        model.addAttribute("storeNames", storeNames());
        model.addAttribute("zone", zone);
        return "settings/api-key-row :: keyRow";
    }

    @GetMapping("/settings/users")
    String users(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        model.addAttribute("storeNames", storeNames());
        return "settings/users";
    }

    @PostMapping("/settings/users")
    String createUser(@RequestParam String username, @RequestParam(defaultValue = "") String displayName,
                      @RequestParam String password, @RequestParam Role role,
                      @RequestParam(defaultValue = "") String stores, Model model) {
        Optional<Set<Long>> scope = StoreScope.parse(stores);
        if (scope.isEmpty()) {
            model.addAttribute("error", "settings.error.stores");
        } else {
            try {
                users.create(username.strip(), displayName, password, role, scope.get(), true);
                model.addAttribute("created", username.strip());
            } catch (ApiProblem problem) {
                model.addAttribute("error", problem.status().value() == 409 ? "users.error.taken"
                        : "users.error." + problem.errors().getFirst().field());
            }
        }
        if (!model.containsAttribute("created")) {
            model.addAttribute("form", Map.of("username", username, "displayName", displayName,
                    "role", role.name(), "stores", stores));
        }
        return users(model);
    }

    /** Store names for the scope columns, when the catalog module is there to ask. */
    private Map<Long, String> storeNames() {
        Map<Long, String> names = new LinkedHashMap<>();
        Catalog stores = catalog.getIfAvailable();
        if (stores != null) {
            for (Store store : stores.stores()) {
                names.put(store.id(), store.name());
            }
        }
        return names;
    }
}
