package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputHelpersTest {

    @Test
    void tableAlignsColumnsToTheWidestCell() {
        StringWriter text = new StringWriter();
        new Table("TOPIC", "PARTITIONS").row("orders", 3).row("a-much-longer-name", 12).print(new PrintWriter(text));

        assertThat(text.toString().lines()).containsExactly(
                "TOPIC               PARTITIONS",
                "orders              3",
                "a-much-longer-name  12");
    }

    @Test
    void jsonEscapesStringsAndNestsCollections() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "say \"hi\"\n");
        value.put("count", 3);
        value.put("ok", true);
        value.put("leader", Optional.empty());
        value.put("isr", List.of(1, 2));

        assertThat(Json.writeCompact(value))
                .isEqualTo("{\"name\":\"say \\\"hi\\\"\\n\",\"count\":3,\"ok\":true,\"leader\":null,\"isr\":[1,2]}");
        assertThat(Json.write(Map.of("a", List.of()))).isEqualTo("{\n  \"a\": []\n}");
    }

    @Test
    void sizesAreHumanReadable() {
        assertThat(Sizes.bytes(512)).isEqualTo("512 B");
        assertThat(Sizes.bytes(8294)).isEqualTo("8.1 KiB");
        assertThat(Sizes.bytes(1L << 30)).isEqualTo("1.0 GiB");
    }
}
