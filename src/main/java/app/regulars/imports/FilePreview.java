package app.regulars.imports;

import app.regulars.platform.ApiProblem.FieldError;
import java.util.List;

/**
 * What the mapping step shows: each column's header, the field it is mapped to (null: ignored), a few
 * sample rows with phone-like values masked, and warnings such as ambiguous merged headers.
 */
public record FilePreview(String uploadId, String fileName, ImportType type, List<String> headers,
                          List<String> fields, List<List<String>> samples, List<FieldError> warnings) {}
