package io.gregor.protocol.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void writesAClassPerSpecAndTheApiKeyEnumSkippingRemovedApis() throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("PingRequest.json"), """
                // A comment, as Kafka's specs have.
                { "apiKey": 90, "type": "request", "name": "PingRequest", "validVersions": "0-1",
                  "flexibleVersions": "1+",
                  "fields": [
                    { "name": "Payload", "type": "[]Item", "versions": "0+", "fields": [
                      { "name": "Value", "type": "int32", "versions": "0+", "default": "-1" } ] },
                    { "name": "Note", "type": "string", "versions": "1+", "tag": 0, "taggedVersions": "1+",
                      "nullableVersions": "1+", "default": "null" } ] }
                """);
        Files.writeString(specs.resolve("PingResponse.json"), """
                { "apiKey": 90, "type": "response", "name": "PingResponse", "validVersions": "0-1",
                  "flexibleVersions": "1+", "fields": [] }
                """);
        Files.writeString(specs.resolve("GoneRequest.json"), """
                { "apiKey": 91, "type": "request", "name": "GoneRequest", "validVersions": "none",
                  "flexibleVersions": "none", "fields": [] }
                """);
        Path out = dir.resolve("out");

        MessageGenerator.generate(specs, out, "x.y");

        Path pkg = out.resolve("x/y");
        assertThat(pkg.resolve("GoneRequest.java")).doesNotExist();
        String ping = Files.readString(pkg.resolve("PingRequest.java"));
        assertThat(ping).contains("public final class PingRequest implements io.gregor.protocol.wire.ApiMessage")
                .contains("public static final class Item implements io.gregor.protocol.wire.Message")
                .contains("private int value = -1;")
                .contains("case 0: {");
        assertThat(Files.readString(pkg.resolve("ApiKey.java")))
                .contains("PING((short) 90, (short) 0, (short) 1, (short) 1, (short) 1);")
                .contains("case 90: return new PingRequest();")
                .contains("case 90: return new PingResponse();");
    }
}
