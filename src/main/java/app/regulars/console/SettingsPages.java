package app.regulars.console;

import app.regulars.access.ApiKeys;
import app.regulars.access.Role;
import app.regulars.access.Users;
import app.regulars.catalog.Catalog;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.RegularsProperties;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final Catalog catalog;
    private final ZoneId zone;

    SettingsPages(ApiKeys apiKeys, Users users, Catalog catalog, RegularsProperties properties) {
        this.apiKeys = apiKeys;
        this.users = users;
        this.catalog = catalog;
        this.zone = properties.timezone();
    }

    @GetMapping("/settings")
    String settings() {
        return "redirect:/settings/api-keys";
    }

    @GetMapping("/settings/api-keys")
    String apiKeys(Model model) {
        model.addAttribute("keys", apiKeys.list());
        model.addAttribute("zone", zone);
        if (!model.containsAttribute("scope")) {
            model.addAttribute("scope", new StoreScope(catalog.stores()));
        }
        return "settings/api-keys";
    }

    /**
     * Shows the new key in the response itself: it is never stored in plain text, not even in the session.
     * No store ticked means a key for all stores (a chain's ERP); a till's key is ticked to its store.
     */
    @PostMapping("/settings/api-keys")
    String issueKey(@RequestParam String name, @RequestParam(name = "stores", required = false) List<String> stores,
                    Model model) {
        StoreScope scope = new StoreScope(catalog.stores());
        Optional<Set<Long>> picked = scope.picked(stores);
        if (name.isBlank() || name.strip().length() > 100) {
            model.addAttribute("error", "apiKeys.error.name");
        } else if (picked.isEmpty()) {
            model.addAttribute("error", "settings.error.stores");
        } else {
            model.addAttribute("issuedName", name.strip());
            model.addAttribute("issuedKey", apiKeys.issue(name, picked.get()));
        }
        if (!model.containsAttribute("issuedKey")) {
            model.addAttribute("name", name);
            model.addAttribute("ticked", picked.orElse(Set.of()));
        }
        model.addAttribute("scope", scope);
        return apiKeys(model);
    }

    /** Called by htmx; answers the key's table row in its revoked state. */
    @PostMapping("/settings/api-keys/{id}/revoke")
    String revokeKey(@PathVariable long id, Model model) {
        apiKeys.revoke(id);
        model.addAttribute("key", apiKeys.list().stream().filter(k -> k.id() == id).findFirst().orElseThrow());
        model.addAttribute("scope", new StoreScope(catalog.stores()));
        model.addAttribute("zone", zone);
        return "settings/api-key-row :: keyRow";
    }

    @GetMapping("/settings/users")
    String users(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        if (!model.containsAttribute("scope")) {
            model.addAttribute("scope", new StoreScope(catalog.stores()));
        }
        return "settings/users";
    }

    /** A store manager, clerk or analyst needs at least one ticked store; chain-wide roles ignore the picker. */
    @PostMapping("/settings/users")
    String createUser(@RequestParam String username, @RequestParam(defaultValue = "") String displayName,
                      @RequestParam String password, @RequestParam Role role,
                      @RequestParam(name = "stores", required = false) List<String> stores, Model model) {
        StoreScope scope = new StoreScope(catalog.stores());
        Optional<Set<Long>> picked = scope.picked(stores);
        if (picked.isEmpty()) {
            model.addAttribute("error", "settings.error.stores");
        } else if (!role.allStores() && picked.get().isEmpty()) {
            model.addAttribute("error", "users.error.storeIds");
        } else {
            try {
                users.create(username.strip(), displayName, password, role, picked.get(), true);
                model.addAttribute("created", username.strip());
            } catch (ApiProblem problem) {
                model.addAttribute("error", problem.status().value() == 409 ? "users.error.taken"
                        : "users.error." + problem.errors().getFirst().field());
            }
        }
        if (!model.containsAttribute("created")) {
            model.addAttribute("form", Map.of("username", username, "displayName", displayName, "role", role.name()));
            model.addAttribute("ticked", picked.orElse(Set.of()));
        }
        model.addAttribute("scope", scope);
        return users(model);
    }
}
