package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaPropertiesTest {
    @TempDir
    Path logDir;

    @Test
    void firstStartWritesAClusterIdThatLaterStartsKeep() throws IOException {
        MetaProperties created = MetaProperties.loadOrCreate(logDir, 1, Optional.empty());
        MetaProperties loaded = MetaProperties.loadOrCreate(logDir, 1, Optional.empty());

        assertThat(created.clusterId()).hasSize(22);
        assertThat(loaded).isEqualTo(created);
        assertThat(logDir.resolve("meta.properties")).content().contains("cluster.id=" + created.clusterId(),
                "node.id=1");
    }

    @Test
    void aConfiguredClusterIdComesBackAsItWasWhateverItsCharacters() throws IOException {
        String clusterId = "odd\\id\twith=all:the #!characters\na properties file\r\fmakes é special";
        MetaProperties.loadOrCreate(logDir, 1, Optional.of(clusterId));

        assertThat(MetaProperties.loadOrCreate(logDir, 1, Optional.of(clusterId)).clusterId()).isEqualTo(clusterId);
        assertThat(MetaProperties.loadOrCreate(logDir, 1, Optional.empty()).clusterId()).isEqualTo(clusterId);
    }

    @Test
    void otherNodeIdIsAClearError() throws IOException {
        MetaProperties.loadOrCreate(logDir, 1, Optional.empty());

        assertThatThrownBy(() -> MetaProperties.loadOrCreate(logDir, 2, Optional.empty()))
                .isInstanceOf(InconsistentMetaPropertiesException.class)
                .hasMessageContaining("node.id 1")
                .hasMessageContaining("node.id 2");
    }

    @Test
    void otherConfiguredClusterIdIsAClearError() throws IOException {
        MetaProperties.loadOrCreate(logDir, 1, Optional.of("first-cluster"));

        assertThatThrownBy(() -> MetaProperties.loadOrCreate(logDir, 1, Optional.of("second-cluster")))
                .isInstanceOf(InconsistentMetaPropertiesException.class)
                .hasMessageContaining("first-cluster")
                .hasMessageContaining("second-cluster");
    }
}
