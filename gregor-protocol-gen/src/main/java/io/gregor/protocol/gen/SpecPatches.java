package io.gregor.protocol.gen;

import java.util.List;

/**
 * Deliberate departures from the specs as published in the kafka-clients jar.
 *
 * <p>RequestHeader: Kafka 4.x lists versions 1-2, but header v0 (api key, api version,
 * correlation id; no client id) still exists on the wire for ControlledShutdown v0 sent by old
 * brokers. Reading it costs nothing, so our RequestHeader accepts 0-2 and ClientId (1+) is
 * ignorable, i.e. silently dropped when writing v0.
 */
final class SpecPatches {
    private SpecPatches() {
    }

    static MessageSpec apply(MessageSpec spec) {
        if (!spec.name().equals("RequestHeader")) {
            return spec;
        }
        List<FieldSpec> fields = spec.fields().stream()
                .map(f -> f.name().equals("ClientId") ? ignorable(f) : f)
                .toList();
        return new MessageSpec(spec.name(), spec.type(), spec.apiKey(), "0-" + spec.validVersions().highest(),
                spec.flexibleVersionsText(), fields, spec.commonStructs());
    }

    private static FieldSpec ignorable(FieldSpec f) {
        return new FieldSpec(f.name(), f.typeText(), f.versionsText(), f.nullableVersionsText(), f.taggedVersionsText(),
                f.flexibleVersionsText(), f.tag(), true, f.defaultNode(), f.about(), f.fields());
    }
}
