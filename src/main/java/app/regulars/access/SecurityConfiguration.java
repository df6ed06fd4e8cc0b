package app.regulars.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.servlet.PathRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Two doors. {@code /api/**}: stateless, a bearer API key per call, no CSRF (nothing a browser sends
 * on its own authenticates there) — except that a signed-in console session may call it too, for
 * htmx pages, and then must send the CSRF token. Everything else: the console, with form sign-in,
 * a session and CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private static final String[] OPEN = {
        "/login", "/error", "/actuator/health", "/actuator/health/**",
        "/v3/api-docs", "/v3/api-docs/**", "/api-docs-ui", "/api-docs-ui/**", "/swagger-ui/**", "/swagger-ui.html",
        "/console.css", "/*.css", "/*.js", "/*.svg", "/*.png", "/*.ico", "/webjars/**"
    };

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService consoleUsers(Users users) {
        return username -> users.forSignIn(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    @Bean
    @ConditionalOnWebApplication // command line tools (generate, import) run without a web server
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys, ObjectMapper json) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        return http
                .securityMatcher("/api/**")
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Reads (never creates or writes) the console's session, so htmx pages may call the API.
                .securityContext(c -> c.securityContextRepository(new HttpSessionSecurityContextRepository()))
                .csrf(c -> c.requireCsrfProtectionMatcher(SecurityConfiguration::writeWithSessionCookie))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .addFilterBefore(new BearerKeyFilter(keys, problems), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problems.unauthorized(response,
                                "missing API key: send the header 'Authorization: Bearer <key>'"))
                        .accessDeniedHandler((request, response, ex) -> problems.write(response, HttpStatus.FORBIDDEN,
                                ex instanceof CsrfException ? "missing or invalid CSRF token for a console session"
                                        : "not allowed for this caller")))
                .build();
    }

    /** CSRF matters only when the browser's session cookie, not a header it cannot forge, authenticates. */
    private static boolean writeWithSessionCookie(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                && request.getRequestedSessionId() != null;
    }

    @Bean
    @ConditionalOnWebApplication // command line tools (generate, import) run without a web server
    @Order(2)
    SecurityFilterChain console(HttpSecurity http, Users users) throws Exception {
        SecurityContextRepository sessions = new DelegatingSecurityContextRepository(
                new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
        return http
                .securityContext(c -> c.securityContextRepository(sessions))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(OPEN).permitAll()
                        .requestMatchers(PathRequest.toStaticResources().atCommonLocations()).permitAll()
                        .requestMatchers("/settings/**").hasRole(Role.OWNER.name())
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(l -> l.logoutSuccessUrl("/login?logout").permitAll())
                .addFilterAfter(new PasswordChangeGate(users, sessions), AuthorizationFilter.class)
                .build();
    }
}
