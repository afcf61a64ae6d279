package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThrottleRatesTest {
    private static final ReplicationConfig STATIC = new ReplicationConfig(30_000, 500, 1, 1 << 20, 1 << 20, 1_000,
            5_000, 5_000, Long.MAX_VALUE);

    private final ReplicationQuota leader = new ReplicationQuota(STATIC.leaderThrottledRate());
    private final ReplicationQuota follower = new ReplicationQuota(STATIC.followerThrottledRate());
    private final ThrottleRates rates = new ThrottleRates(2, STATIC, leader, follower);
    private MetadataImage image = MetadataImage.empty("cluster");

    @Test
    void ownOverrideWinsOverClusterDefaultWhichWinsOverStaticConfig() {
        set(ConfigResource.clusterDefaultBroker(), ThrottleRates.LEADER_RATE, "700");
        set(ConfigResource.clusterDefaultBroker(), ThrottleRates.FOLLOWER_RATE, "800");
        set(ConfigResource.broker(2), ThrottleRates.LEADER_RATE, "300");
        set(ConfigResource.broker(3), ThrottleRates.FOLLOWER_RATE, "1");
        rates.update(image);

        assertThat(leader.rate()).isEqualTo(300);
        assertThat(follower.rate()).as("broker 3's override is not ours").isEqualTo(800);
    }

    @Test
    void removingTheOverridesGoesBackToTheStaticConfig() {
        set(ConfigResource.broker(2), ThrottleRates.LEADER_RATE, "300");
        set(ConfigResource.broker(2), ThrottleRates.FOLLOWER_RATE, "300");
        rates.update(image);
        remove(ConfigResource.broker(2), ThrottleRates.LEADER_RATE);
        remove(ConfigResource.broker(2), ThrottleRates.FOLLOWER_RATE);
        rates.update(image);

        assertThat(leader.rate()).isEqualTo(5_000);
        assertThat(follower.isLimited()).isFalse();
    }

    @Test
    void concernsOnlyThisBrokerAndTheClusterDefault() {
        assertThat(rates.concerns(ConfigResource.broker(2))).isTrue();
        assertThat(rates.concerns(ConfigResource.clusterDefaultBroker())).isTrue();
        assertThat(rates.concerns(ConfigResource.broker(3))).isFalse();
        assertThat(rates.concerns(ConfigResource.topic("2"))).isFalse();
    }

    private void set(ConfigResource resource, String key, String value) {
        change(new ConfigRecord(resource, key, Optional.of(value)));
    }

    private void remove(ConfigResource resource, String key) {
        change(new ConfigRecord(resource, key, Optional.empty()));
    }

    private void change(ConfigRecord record) {
        MetadataDelta delta = new MetadataDelta(image);
        delta.replay(record);
        image = delta.apply();
    }
}
