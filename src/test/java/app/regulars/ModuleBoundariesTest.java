package app.regulars;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The module map in the code is the map in DESIGN.md: no cycles, no reaching into another module's internals. */
class ModuleBoundariesTest {

    @Test
    void modulesOnlyUseEachOthersPublicApiAndFormNoCycles() {
        ApplicationModules.of(RegularsApplication.class).verify();
    }
}
