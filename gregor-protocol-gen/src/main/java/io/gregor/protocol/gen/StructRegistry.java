package io.gregor.protocol.gen;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All named structs of one message: its "commonStructs" and every struct declared inline by a
 * field with nested fields. Fields elsewhere may refer to either by name alone.
 */
final class StructRegistry {
    private final Map<String, StructSpec> structs = new LinkedHashMap<>();

    StructRegistry(MessageSpec message) {
        for (StructSpec common : message.commonStructs()) {
            add(common);
        }
        collect(message.asStruct());
        for (StructSpec common : message.commonStructs()) {
            collect(common);
        }
    }

    private void collect(StructSpec struct) {
        for (FieldSpec field : struct.fields()) {
            field.inlineStruct().ifPresent(inline -> {
                add(inline);
                collect(inline);
            });
        }
    }

    private void add(StructSpec struct) {
        StructSpec previous = structs.putIfAbsent(struct.name(), struct);
        if (previous != null && previous != struct && !previous.fields().isEmpty() && !struct.fields().isEmpty()
                && !previous.equals(struct)) {
            throw new IllegalArgumentException("struct " + struct.name() + " is declared twice");
        }
    }

    Iterable<StructSpec> all() {
        return structs.values();
    }

    void requireDefined(MessageSpec message) {
        checkReferences(message, message.asStruct());
        structs.values().forEach(s -> checkReferences(message, s));
    }

    private void checkReferences(MessageSpec message, StructSpec struct) {
        for (FieldSpec field : struct.fields()) {
            String name = field.type().structName();
            if (name != null && !structs.containsKey(name)) {
                throw new IllegalArgumentException(message.name() + ": unknown struct type " + name);
            }
        }
    }
}
