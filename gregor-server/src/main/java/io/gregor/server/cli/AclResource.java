package io.gregor.server.cli;

import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.Option;

/** The resource an ACL command is about: exactly one of --topic, --group, --cluster, --transactional-id. */
final class AclResource {
    /** The one name of the cluster resource, as Kafka's clients send it. */
    private static final String CLUSTER_NAME = "kafka-cluster";

    @Option(names = "--topic", paramLabel = "TOPIC", description = "A topic, or * for every topic.")
    String topic;

    @Option(names = "--group", paramLabel = "GROUP", description = "A consumer group, or * for every group.")
    String group;

    @Option(names = "--cluster", description = "The cluster.")
    boolean cluster;

    @Option(names = "--transactional-id", paramLabel = "ID",
            description = "A transactional id, or * for every transactional id.")
    String transactionalId;

    ResourceType type() {
        if (topic != null) {
            return ResourceType.TOPIC;
        }
        if (group != null) {
            return ResourceType.GROUP;
        }
        return cluster ? ResourceType.CLUSTER : ResourceType.TRANSACTIONAL_ID;
    }

    String name() {
        if (topic != null) {
            return topic;
        }
        if (group != null) {
            return group;
        }
        return cluster ? CLUSTER_NAME : transactionalId;
    }
}
