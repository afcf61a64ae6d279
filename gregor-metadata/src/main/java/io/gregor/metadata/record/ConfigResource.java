package io.gregor.metadata.record;

import java.util.Objects;

/**
 * A resource that configs attach to: a topic by name, or a broker by its id as a string. The
 * broker named "" stands for the cluster-wide default of every broker, as in Kafka.
 */
public record ConfigResource(ConfigResourceType type, String name) {
    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResourceType.TOPIC, name);
    }

    public static ConfigResource broker(int brokerId) {
        return new ConfigResource(ConfigResourceType.BROKER, Integer.toString(brokerId));
    }

    public static ConfigResource clusterDefaultBroker() {
        return new ConfigResource(ConfigResourceType.BROKER, "");
    }
}
