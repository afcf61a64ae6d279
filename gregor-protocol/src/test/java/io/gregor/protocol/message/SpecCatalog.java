package io.gregor.protocol.message;

import io.gregor.protocol.gen.FieldSpec;
import io.gregor.protocol.gen.MessageSpec;
import io.gregor.protocol.gen.SpecReader;
import io.gregor.protocol.gen.StructSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Kafka specs the build unpacked, for tests that need each field's spec type. */
final class SpecCatalog {
    static final Path SPEC_DIR = Path.of("target/kafka-specs/common/message");

    private static List<MessageSpec> specs;

    private SpecCatalog() {
    }

    static synchronized List<MessageSpec> all() {
        if (specs == null) {
            try {
                specs = new SpecReader().readAll(SPEC_DIR).stream()
                        .filter(s -> !s.validVersions().isEmpty())
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return specs;
    }

    /** Every named struct of a message (common structs and inline ones) by name. */
    static Map<String, StructSpec> structsOf(MessageSpec message) {
        Map<String, StructSpec> structs = new HashMap<>();
        message.commonStructs().forEach(s -> collect(s, structs));
        collect(message.asStruct(), structs);
        return structs;
    }

    private static void collect(StructSpec struct, Map<String, StructSpec> into) {
        if (!struct.fields().isEmpty()) {
            into.putIfAbsent(struct.name(), struct);
        }
        for (FieldSpec field : struct.fields()) {
            field.inlineStruct().ifPresent(inline -> collect(inline, into));
        }
    }
}
