package io.gregor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.server.config.ServerProperties.InvalidServerPropertiesException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void overridesWinOverTheFileAndTheLastOverrideWins() throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "# comment\nnum.partitions=3\nlog.dirs = /data\n");

        assertThat(ServerProperties.load(Optional.of(file), List.of("num.partitions=5", "node.id=2", "node.id=4")))
                .containsEntry("num.partitions", "5")
                .containsEntry("log.dirs", "/data")
                .containsEntry("node.id", "4");
    }

    @Test
    void noFileAndNoOverridesIsEmpty() {
        assertThat(ServerProperties.load(Optional.empty(), List.of())).isEmpty();
    }

    @Test
    void overrideValueMayContainEqualsSigns() {
        assertThat(ServerProperties.load(Optional.empty(), List.of("listener.security.protocol.map=A:B=C")))
                .containsEntry("listener.security.protocol.map", "A:B=C");
    }

    @Test
    void overrideWithoutEqualsSignIsRefusedWithAnExample() {
        assertThatThrownBy(() -> ServerProperties.load(Optional.empty(), List.of("num.partitions")))
                .isInstanceOf(InvalidServerPropertiesException.class)
                .hasMessageContaining("'num.partitions'").hasMessageContaining("key=value");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> ServerProperties.load(Optional.of(missing), List.of()))
                .hasMessage("Configuration file " + missing + " does not exist");
    }
}
