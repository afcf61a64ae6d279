package io.gregor.protocol.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Build-time entry point: reads Kafka's JSON message specs and writes one Java class per
 * request, response, header and data spec, plus the {@code ApiKey} enum.
 *
 * <p>Usage: {@code MessageGenerator <specDir> <outDir> <package>}. Specs whose valid versions
 * are "none" (APIs Kafka has removed but still ships a spec for) produce nothing.
 */
public final class MessageGenerator {
    private MessageGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: MessageGenerator <specDir> <outDir> <package>");
        }
        generate(Path.of(args[0]), Path.of(args[1]), args[2]);
    }

    public static void generate(Path specDir, Path outDir, String packageName) throws IOException {
        List<MessageSpec> specs = new ArrayList<>();
        for (MessageSpec spec : new SpecReader().readAll(specDir)) {
            if (!spec.validVersions().isEmpty()) {
                specs.add(SpecPatches.apply(spec));
            }
        }
        if (specs.isEmpty()) {
            throw new IOException("no message specs found in " + specDir);
        }
        Path packageDir = outDir.resolve(packageName.replace('.', '/'));
        Files.createDirectories(packageDir);
        MessageClassWriter classWriter = new MessageClassWriter(packageName);
        for (MessageSpec spec : specs) {
            try {
                writeIfChanged(packageDir.resolve(spec.name() + ".java"), classWriter.write(spec));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot generate " + spec.name() + ": " + e.getMessage(), e);
            }
        }
        writeIfChanged(packageDir.resolve("ApiKey.java"), new ApiKeyWriter(packageName).write(specs));
    }

    /** Leaves unchanged files untouched so incremental compilation stays incremental. */
    private static void writeIfChanged(Path file, String source) throws IOException {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.write(file, bytes);
    }
}
