package io.gregor.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void hasKafkasDefaults() {
        LogConfig config = LogConfig.defaults();

        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.segmentMs()).isEqualTo(604_800_000L);
        assertThat(config.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.retentionMs()).isEqualTo(604_800_000L);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.maxMessageBytes()).isEqualTo(1_048_588);
        assertThat(config.logAppendTime()).isFalse();
        assertThat(config.deleteEnabled()).isTrue();
        assertThat(config.compactEnabled()).isFalse();
        assertThat(config.minInSyncReplicas()).isEqualTo(1);
        assertThat(config.compressionType()).isEqualTo("producer");
        assertThat(config.overriddenKeys()).isEmpty();
    }

    @Test
    void topicOverridesReplaceBrokerDefaults() {
        Map<String, Object> broker = LogConfig.topicDefaultsFromBroker(Map.of("log.retention.minutes", "30",
                "log.retention.hours", "5", "message.max.bytes", "2000", "log.cleanup.policy", "compact"));

        LogConfig config = LogConfig.create(broker, Map.of(LogConfig.MAX_MESSAGE_BYTES, "3000"));

        assertThat(config.retentionMs()).isEqualTo(30 * 60_000L);
        assertThat(config.maxMessageBytes()).isEqualTo(3000);
        assertThat(config.compactEnabled()).isTrue();
        assertThat(config.overriddenKeys()).containsExactly(LogConfig.MAX_MESSAGE_BYTES);
    }

    @Test
    void invalidValuesNameKeyValueAndReason() {
        assertThatThrownBy(() -> LogConfig.create(Map.of(), Map.of(LogConfig.RETENTION_MS, "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value abc for configuration retention.ms: Not a number of type LONG");
        assertThatThrownBy(() -> LogConfig.create(Map.of(), Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "Now")))
                .hasMessageContaining("message.timestamp.type").hasMessageContaining("CreateTime, LogAppendTime");
        assertThatThrownBy(() -> LogConfig.create(Map.of(), Map.of("retention.mss", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retention.mss");
    }

    @Test
    void everyKeyHasDocumentationAndBrokerSynonyms() {
        // The throttled replica lists are per topic only, in Kafka too: no broker key sets them.
        java.util.Set<String> topicOnly = java.util.Set.of(LogConfig.LEADER_REPLICATION_THROTTLED_REPLICAS,
                LogConfig.FOLLOWER_REPLICATION_THROTTLED_REPLICAS);
        assertThat(LogConfig.DEFINITION.keys().values()).allSatisfy(key -> {
            assertThat(key.documentation()).isNotBlank();
            assertThat(LogConfig.brokerSynonyms(key.name()).isEmpty()).isEqualTo(topicOnly.contains(key.name()));
        });
        assertThat(LogConfig.brokerSynonyms(LogConfig.RETENTION_MS)).extracting(LogConfig.BrokerSynonym::name)
                .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
    }

    @Test
    void throttledReplicasArePartitionBrokerPairsOrTheWildcard() {
        LogConfig config = LogConfig.create(Map.of(), Map.of(
                LogConfig.LEADER_REPLICATION_THROTTLED_REPLICAS, "0:1, 1:2",
                LogConfig.FOLLOWER_REPLICATION_THROTTLED_REPLICAS, "*"));

        assertThat(config.leaderReplicationThrottled(0, 1)).isTrue();
        assertThat(config.leaderReplicationThrottled(1, 2)).isTrue();
        assertThat(config.leaderReplicationThrottled(0, 2)).isFalse();
        assertThat(config.followerReplicationThrottled(7, 9)).isTrue();
        assertThat(LogConfig.defaults().leaderReplicationThrottled(0, 1)).isFalse();
        assertThatThrownBy(() -> LogConfig.create(Map.of(), Map.of(
                LogConfig.LEADER_REPLICATION_THROTTLED_REPLICAS, "0-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARTITION:BROKER");
    }
}
