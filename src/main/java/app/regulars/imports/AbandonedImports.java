package app.regulars.imports;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When the server starts, imports left running by a stopped process are marked failed, with the
 * advice to import the same file again (idempotent). Only the server does this: a command-line
 * import running beside it must not mark the server's running jobs.
 */
@Component
@ConditionalOnWebApplication
class AbandonedImports {

    private static final Logger log = LoggerFactory.getLogger(AbandonedImports.class);

    private final Imports imports;

    AbandonedImports(Imports imports) {
        this.imports = imports;
    }

    @EventListener(ApplicationReadyEvent.class)
    void markAbandoned() {
        int n = imports.markAbandoned();
        if (n > 0) {
            log.warn("{} import(s) were interrupted by a stop; re-import the same files to complete them", n);
        }
    }
}
