package app.regulars.access;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/** Tells the API documentation (and its "Authorize" button) that every call needs a bearer API key. */
@Component
class ApiDocsSecurity implements OpenApiCustomizer {

    private static final String SCHEME = "apiKey";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key issued under Settings → API keys: Authorization: Bearer rk_…"));
        openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }
}
