package io.gregor.protocol.gen;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** One Kafka JSON message spec, as bound by Jackson. Unknown keys (listeners, ...) are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageSpec(
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("apiKey") Short apiKey,
        @JsonProperty("validVersions") String validVersionsText,
        @JsonProperty("flexibleVersions") String flexibleVersionsText,
        @JsonProperty("fields") List<FieldSpec> fields,
        @JsonProperty("commonStructs") List<StructSpec> commonStructs) {

    public MessageSpec {
        fields = fields == null ? List.of() : fields;
        commonStructs = commonStructs == null ? List.of() : commonStructs;
    }

    public Versions validVersions() {
        return Versions.parse(validVersionsText, Versions.NONE);
    }

    public Versions flexibleVersions() {
        return Versions.parse(flexibleVersionsText, Versions.NONE);
    }

    public Optional<Short> optionalApiKey() {
        return Optional.ofNullable(apiKey);
    }

    public boolean isRequest() {
        return "request".equals(type);
    }

    public boolean isResponse() {
        return "response".equals(type);
    }

    /** The spec viewed as the top-level struct of its class. */
    public StructSpec asStruct() {
        return new StructSpec(name, validVersionsText, fields);
    }
}
