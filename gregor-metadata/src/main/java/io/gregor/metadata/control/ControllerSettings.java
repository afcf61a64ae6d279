package io.gregor.metadata.control;

import java.util.Objects;

/**
 * The broker settings the controller's decisions depend on.
 *
 * @param defaultNumPartitions {@code num.partitions}: partitions of a topic created without a count
 * @param defaultReplicationFactor {@code default.replication.factor}
 * @param configSchema the configs topics and brokers accept
 * @param uncleanLeaderElectionEnable {@code unclean.leader.election.enable}, the default of the topic
 *     config of that name: whether a partition whose in-sync replicas are all fenced may get a
 *     leader from outside the ISR
 * @param delegationTokens how delegation tokens are issued, if at all
 */
public record ControllerSettings(int defaultNumPartitions, short defaultReplicationFactor, ConfigSchema configSchema,
                                 boolean uncleanLeaderElectionEnable, DelegationTokenSettings delegationTokens) {
    /** Settings with unclean leader election off, Kafka's default. */
    public ControllerSettings(int defaultNumPartitions, short defaultReplicationFactor, ConfigSchema configSchema) {
        this(defaultNumPartitions, defaultReplicationFactor, configSchema, false);
    }

    /** Settings without delegation tokens, Kafka's default. */
    public ControllerSettings(int defaultNumPartitions, short defaultReplicationFactor, ConfigSchema configSchema,
                              boolean uncleanLeaderElectionEnable) {
        this(defaultNumPartitions, defaultReplicationFactor, configSchema, uncleanLeaderElectionEnable,
                DelegationTokenSettings.DISABLED);
    }

    public ControllerSettings {
        if (defaultNumPartitions < 1) {
            throw new IllegalArgumentException("num.partitions must be at least 1, was " + defaultNumPartitions);
        }
        if (defaultReplicationFactor < 1) {
            throw new IllegalArgumentException("default.replication.factor must be at least 1, was "
                    + defaultReplicationFactor);
        }
        Objects.requireNonNull(configSchema, "configSchema");
        Objects.requireNonNull(delegationTokens, "delegationTokens");
    }
}
