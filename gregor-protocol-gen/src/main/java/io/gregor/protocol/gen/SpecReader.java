package io.gregor.protocol.gen;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads every {@code *.json} message spec of a directory. The specs are JSON with // comments. */
public final class SpecReader {
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    public List<MessageSpec> readAll(Path specDir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(specDir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        List<MessageSpec> specs = new ArrayList<>();
        for (Path file : files) {
            try {
                specs.add(mapper.readValue(file.toFile(), MessageSpec.class));
            } catch (IOException e) {
                throw new IOException("cannot read message spec " + file + ": " + e.getMessage(), e);
            }
        }
        return specs;
    }
}
