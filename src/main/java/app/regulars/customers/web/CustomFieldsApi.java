package app.regulars.customers.web;

import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Custom field definitions; they apply to the next write, no restart. DELETE deactivates. */
@RestController
@RequestMapping("/api/v1/custom-fields")
class CustomFieldsApi {

    record FieldBody(String key, String labelZh, String labelEn, CustomField.Type type, List<String> choices,
                     Boolean required) {}

    private final CustomFields fields;

    CustomFieldsApi(CustomFields fields) {
        this.fields = fields;
    }

    @GetMapping
    List<CustomField> list() {
        return fields.allDefinitions();
    }

    @PostMapping
    ResponseEntity<CustomField> define(@RequestBody FieldBody body) {
        CustomField defined = fields.define(new CustomField(body.key(), body.labelZh(), body.labelEn(), body.type(),
                body.choices(), Boolean.TRUE.equals(body.required()), true));
        return ResponseEntity.status(HttpStatus.CREATED).body(defined);
    }

    @DeleteMapping("/{key}")
    ResponseEntity<Void> deactivate(@PathVariable String key) {
        fields.deactivate(key);
        return ResponseEntity.noContent().build();
    }
}
