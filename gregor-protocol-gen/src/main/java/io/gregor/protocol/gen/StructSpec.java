package io.gregor.protocol.gen;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A named struct: a message body, a "commonStructs" entry, or the element type of a struct field. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StructSpec(
        @JsonProperty("name") String name,
        @JsonProperty("versions") String versionsText,
        @JsonProperty("fields") List<FieldSpec> fields) {

    public StructSpec {
        fields = fields == null ? List.of() : fields;
    }
}
