package io.gregor.protocol.gen;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All named structs of one message: its "commonStructs" and every struct declared inline by a
 * field with nested fields. Fields elsewhere may refer to either by name alone.
 */
final class StructRegistry {
    private final Map<String, StructSpec> structs = new LinkedHashMap<>();
    /** Per struct name, whether it holds an error code field, itself or in a struct within it. */
    private final Map<String, Boolean> carriesErrorCodes = new HashMap<>();

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

    /** Whether {@code struct} has an int16 {@code ...ErrorCode} field, itself or in a struct within it. */
    boolean carriesErrorCodes(StructSpec struct) {
        Boolean known = carriesErrorCodes.get(struct.name());
        if (known != null) {
            return known;
        }
        // a struct that (through others) contains itself adds nothing new on the way round
        carriesErrorCodes.put(struct.name(), false);
        boolean carries = false;
        for (FieldSpec field : struct.fields()) {
            String nested = field.type().structName();
            if (isErrorCode(field) || nested != null && carriesErrorCodes(named(nested))) {
                carries = true;
            }
        }
        carriesErrorCodes.put(struct.name(), carries);
        return carries;
    }

    /** An error code as Kafka's responses name them: {@code ErrorCode}, {@code PartitionErrorCode}, ... */
    static boolean isErrorCode(FieldSpec field) {
        return field.type().kind() == FieldType.Kind.INT16 && field.name().endsWith("ErrorCode");
    }

    StructSpec named(String name) {
        return structs.get(name);
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
