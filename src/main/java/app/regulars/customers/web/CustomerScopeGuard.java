package app.regulars.customers.web;

import app.regulars.access.Callers;
import app.regulars.customers.CustomerVisibility;
import app.regulars.platform.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * One guard in front of everything about one customer, in the API and in the console, including the
 * sections other modules add to the customer 360 page: a store-scoped caller gets "not found" for a
 * customer of other stores (see {@link CustomerVisibility}), so no page can forget the check.
 */
@Configuration
class CustomerScopeGuard implements HandlerInterceptor, WebMvcConfigurer {

    private final CustomerVisibility visibility;

    CustomerScopeGuard(CustomerVisibility visibility) {
        this.visibility = visibility;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/customers/{id}", "/customers/{id}/**",
                "/api/v1/customers/{id}", "/api/v1/customers/{id}/**",
                // A member's points, ledger, gifts, coupon exchanges and tier (the loyalty module's API).
                "/api/v1/loyalty/customers/{id}", "/api/v1/loyalty/customers/{id}/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (Callers.current().allStores()) {
            return true; // sees everyone: no look-up on the hot 360 path
        }
        Long id = customerId(request);
        if (id != null && visibility.find(id).isEmpty()) {
            if (handler instanceof HandlerMethod method
                    && AnnotatedElementUtils.hasAnnotation(method.getBeanType(), RestController.class)) {
                throw ApiProblem.notFound("customer " + id);
            }
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return true;
    }

    /** The {id} of the path when it is a number; "duplicates" and "merge" are not customers. */
    private static Long customerId(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (!(variables instanceof Map<?, ?> map) || !(map.get("id") instanceof String value)
                || value.isEmpty() || !value.chars().allMatch(Character::isDigit) || value.length() > 18) {
            return null;
        }
        return Long.parseLong(value);
    }
}
