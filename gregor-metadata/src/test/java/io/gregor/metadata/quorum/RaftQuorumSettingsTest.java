package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RaftQuorumSettingsTest {
    private static final Path LOG_DIR = Path.of("/data/gregor");

    @Test
    void parsesVotersAndPlacesRaftStorageUnderTheMetadataDirectory() {
        RaftQuorumSettings settings = RaftQuorumSettings.of(2, "cluster", "1@host-a:9093, 2@host-b:9093,3@[::1]:9094",
                LOG_DIR);

        assertThat(settings.voters()).containsExactly(new QuorumVoter(1, "host-a", 9093),
                new QuorumVoter(2, "host-b", 9093), new QuorumVoter(3, "::1", 9094));
        assertThat(settings.voters().get(2).address()).isEqualTo("[::1]:9094");
        assertThat(settings.raftDirectory()).isEqualTo(LOG_DIR.resolve("__cluster_metadata-0").resolve("raft"));
        assertThat(settings.raftDirectory().getParent())
                .isEqualTo(new LocalMetadataLog(LOG_DIR).file().getParent());
    }

    @Test
    void duplicateVoterIdIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> RaftQuorumSettings.of(1, "cluster", "1@a:9093,1@b:9093", LOG_DIR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controller.quorum.voters=1@a:9093,1@b:9093")
                .hasMessageContaining("node id 1 more than once");
    }

    @Test
    void nodeAbsentFromTheVotersIsRejectedNamingBothKeys() {
        assertThatThrownBy(() -> RaftQuorumSettings.of(4, "cluster", "1@a:9093,2@b:9093", LOG_DIR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node.id=4")
                .hasMessageContaining("controller.quorum.voters=1@a:9093,2@b:9093");
    }

    @Test
    void twoVotersAtOneAddressAreRejected() {
        assertThatThrownBy(() -> RaftQuorumSettings.of(1, "cluster", "1@a:9093,2@a:9093", LOG_DIR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a:9093 for more than one voter");
    }

    @Test
    void malformedVoterIsRejectedWithTheKeyAndValue() {
        for (String value : new String[] {"1@a", "a@b:9093", "1@:9093", "1@a:0", "1@a:x", "@a:9093", ""}) {
            assertThatThrownBy(() -> RaftQuorumSettings.of(1, "cluster", value, LOG_DIR))
                    .as(value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("controller.quorum.voters=");
        }
    }

    @Test
    void differentClustersGetDifferentRaftGroups() {
        assertThat(RaftMetadataLog.groupId("cluster-a")).isNotEqualTo(RaftMetadataLog.groupId("cluster-b"))
                .isNotEqualTo(null);
        assertThat(RaftMetadataLog.groupId("cluster-a")).isEqualTo(RaftMetadataLog.groupId("cluster-a"));
    }
}
