package io.gregor.protocol.gen;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** One field of a struct in a Kafka JSON message spec. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FieldSpec(
        @JsonProperty("name") String name,
        @JsonProperty("type") String typeText,
        @JsonProperty("versions") String versionsText,
        @JsonProperty("nullableVersions") String nullableVersionsText,
        @JsonProperty("taggedVersions") String taggedVersionsText,
        @JsonProperty("flexibleVersions") String flexibleVersionsText,
        @JsonProperty("tag") Integer tag,
        @JsonProperty("ignorable") boolean ignorable,
        @JsonProperty("default") JsonNode defaultNode,
        @JsonProperty("about") String about,
        @JsonProperty("fields") List<FieldSpec> fields) {

    public FieldSpec {
        fields = fields == null ? List.of() : fields;
    }

    public FieldType type() {
        return FieldType.parse(typeText);
    }

    public Versions versions() {
        return Versions.parse(versionsText, Versions.NONE);
    }

    public Versions nullableVersions() {
        return Versions.parse(nullableVersionsText, Versions.NONE);
    }

    public Versions taggedVersions() {
        return Versions.parse(taggedVersionsText, Versions.NONE);
    }

    /** Versions where this field is a regular (untagged) positional field. */
    public Versions regularVersions() {
        return versions().subtract(taggedVersions());
    }

    /** A field-level override of the message's flexible versions (only RequestHeader.ClientId has one). */
    public Optional<Versions> flexibleVersionsOverride() {
        return Optional.ofNullable(flexibleVersionsText).map(t -> Versions.parse(t, Versions.NONE));
    }

    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultNode).map(JsonNode::asText);
    }

    /** The struct this field declares inline, when it has nested fields. */
    public Optional<StructSpec> inlineStruct() {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StructSpec(type().structName(), versionsText, fields));
    }

    public String accessorName() {
        return Names.lowerCamel(name);
    }

    public String setterName() {
        return "set" + name;
    }
}
