package io.gregor.broker.replication;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's two replication quotas at the rates in force: the dynamic broker config of
 * this broker (IncrementalAlterConfigs on BROKER "id"), else the cluster-wide dynamic default
 * (BROKER ""), else the broker's own configuration, as Kafka resolves dynamic broker configs. The
 * replica manager calls {@link #update} with each metadata image whose broker configs changed, so
 * a new rate takes effect on running fetchers and fetch handlers without a restart.
 */
public final class ThrottleRates {
    public static final String LEADER_RATE = "leader.replication.throttled.rate";
    public static final String FOLLOWER_RATE = "follower.replication.throttled.rate";

    private static final Logger LOG = LoggerFactory.getLogger(ThrottleRates.class);

    private final int nodeId;
    private final ReplicationConfig staticConfig;
    private final ReplicationQuota leaderQuota;
    private final ReplicationQuota followerQuota;

    public ThrottleRates(int nodeId, ReplicationConfig staticConfig, ReplicationQuota leaderQuota,
                         ReplicationQuota followerQuota) {
        this.nodeId = nodeId;
        this.staticConfig = staticConfig;
        this.leaderQuota = leaderQuota;
        this.followerQuota = followerQuota;
    }

    /** Sets both quotas to the rates the image gives this broker. */
    public void update(MetadataImage image) {
        Map<String, String> own = image.configs(ConfigResource.broker(nodeId));
        Map<String, String> clusterDefault = image.configs(ConfigResource.clusterDefaultBroker());
        apply(leaderQuota, LEADER_RATE, rate(own, clusterDefault, LEADER_RATE, staticConfig.leaderThrottledRate()));
        apply(followerQuota, FOLLOWER_RATE,
                rate(own, clusterDefault, FOLLOWER_RATE, staticConfig.followerThrottledRate()));
    }

    /** Whether a change of these broker configs can concern this broker. */
    public boolean concerns(ConfigResource resource) {
        return resource.equals(ConfigResource.broker(nodeId)) || resource.equals(ConfigResource.clusterDefaultBroker());
    }

    static long rate(Map<String, String> own, Map<String, String> clusterDefault, String key, long staticRate) {
        // The controller validated the value (a long, at least 1), so parsing cannot fail here.
        return Optional.ofNullable(own.get(key)).or(() -> Optional.ofNullable(clusterDefault.get(key)))
                .map(Long::parseLong).orElse(staticRate);
    }

    private static void apply(ReplicationQuota quota, String key, long rate) {
        if (quota.rate() != rate) {
            LOG.info("{} is now {}", key, rate == Long.MAX_VALUE ? "unlimited" : rate + " bytes/s");
            quota.setRate(rate);
        }
    }
}
