package io.gregor.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Kafka's gauges of what a node holds and does, read when asked:
 * {@code kafka.server:type=ReplicaManager} ({@code PartitionCount}, {@code LeaderCount},
 * {@code UnderReplicatedPartitions}) and {@code kafka.controller:type=KafkaController}
 * ({@code ActiveControllerCount}: 1 on the node that is the active controller, 0 elsewhere, so
 * that their sum over a healthy cluster is 1).
 */
public final class NodeGauges {
    private NodeGauges() {
    }

    public static void replicaManager(MetricRegistry registry, IntSupplier partitions, IntSupplier leaders,
                                      IntSupplier underReplicated) {
        gauge(registry, "kafka.server", "ReplicaManager", "PartitionCount", partitions);
        gauge(registry, "kafka.server", "ReplicaManager", "LeaderCount", leaders);
        gauge(registry, "kafka.server", "ReplicaManager", "UnderReplicatedPartitions", underReplicated);
    }

    public static void controller(MetricRegistry registry, BooleanSupplier active) {
        gauge(registry, "kafka.controller", "KafkaController", "ActiveControllerCount",
                () -> active.getAsBoolean() ? 1 : 0);
    }

    private static void gauge(MetricRegistry registry, String domain, String type, String name, IntSupplier value) {
        registry.register(KafkaMetricName.of(domain, type, name), (Gauge<Integer>) value::getAsInt);
    }
}
