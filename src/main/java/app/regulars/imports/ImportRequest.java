package app.regulars.imports;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * An import to run.
 *
 * @param file          the file to read (kept where it is)
 * @param fileName      the name the user knows it by (default source name)
 * @param type          what it holds; null: guessed from the headers
 * @param mapping       header text to field; null: a saved mapping ({@code mappingName}) or recognition
 * @param mappingName   a saved mapping to use when {@code mapping} is null
 * @param saveMappingAs save the mapping used under this name (null: do not save)
 * @param options       store, source, skip-invalid, date format, timezone
 * @param createdBy     who asked (a console user, an API key, "cli:…")
 * @param storeScope    ids of the stores the caller may write for; null: all stores
 */
public record ImportRequest(Path file, String fileName, ImportType type, Map<String, String> mapping, String mappingName,
                            String saveMappingAs, ImportOptions options, String createdBy, Set<Long> storeScope) {

    public ImportRequest(Path file, String fileName, ImportType type, Map<String, String> mapping, String mappingName,
                         String saveMappingAs, ImportOptions options, String createdBy) {
        this(file, fileName, type, mapping, mappingName, saveMappingAs, options, createdBy, null);
    }
}
