package io.gregor.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.config.BrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationDocsTest {

    @Test
    void documentsEveryKeyWithItsDefault() {
        String markdown = ConfigurationDocs.markdown();

        BrokerConfig.DEFINITIONS.keys().forEach(key -> assertThat(markdown).contains("`" + key.name() + "`"));
        assertThat(markdown).contains("| `num.partitions` | int | `1` | at least 1 |");
        assertThat(markdown).contains("(synonym: `broker.id`)");
    }

    @Test
    void committedPageMatchesTheDefinitions() throws Exception {
        Path page = Path.of("..", "docs", "configuration.md");
        assertThat(Files.readString(page))
                .as("docs/configuration.md is stale: regenerate it with ConfigurationDocs (see its class comment)")
                .isEqualTo(ConfigurationDocs.markdown());
    }
}
