package io.gregor.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Kafka's gauges of what a node holds and does, read when asked:
 * {@code kafka.server:type=ReplicaManager} ({@code PartitionCount}, {@code LeaderCount},
 * {@code UnderReplicatedPartitions}, {@code UnderMinIsrPartitionCount}) and
 * {@code kafka.controller:type=KafkaController} ({@code ActiveControllerCount}: 1 on the node that
 * is the active controller, 0 elsewhere, so that their sum over a healthy cluster is 1; and, on
 * the active controller, {@code GlobalTopicCount}, {@code GlobalPartitionCount} and
 * {@code OfflinePartitionsCount}, the partitions without a leader, 0 on other nodes as in Kafka).
 */
public final class NodeGauges {
    private NodeGauges() {
    }

    public static void replicaManager(MetricRegistry registry, IntSupplier partitions, IntSupplier leaders,
                                      IntSupplier underReplicated, IntSupplier underMinIsr) {
        gauge(registry, KafkaMetricName.of("kafka.server", "ReplicaManager", "PartitionCount"), partitions);
        gauge(registry, KafkaMetricName.of("kafka.server", "ReplicaManager", "LeaderCount"), leaders);
        gauge(registry, KafkaMetricName.of("kafka.server", "ReplicaManager", "UnderReplicatedPartitions"),
                underReplicated);
        gauge(registry, KafkaMetricName.of("kafka.server", "ReplicaManager", "UnderMinIsrPartitionCount"),
                underMinIsr);
    }

    /**
     * Kafka's {@code kafka.server:type=DelayedOperationPurgatory} gauges of one purgatory
     * ({@code delayedOperation=Produce} for acks=all produces waiting for the ISR,
     * {@code Fetch} for fetches waiting for data): {@code NumDelayedOperations}, the requests
     * waiting, and {@code PurgatorySize}, the same counted once per partition each waits on.
     */
    public static void purgatory(MetricRegistry registry, String operation, IntSupplier delayed, IntSupplier watched) {
        gauge(registry, KafkaMetricName.of("kafka.server", "DelayedOperationPurgatory", "NumDelayedOperations",
                "delayedOperation", operation), delayed);
        gauge(registry, KafkaMetricName.of("kafka.server", "DelayedOperationPurgatory", "PurgatorySize",
                "delayedOperation", operation), watched);
    }

    /** @param image the controller's latest metadata image */
    public static void controller(MetricRegistry registry, BooleanSupplier active, Supplier<MetadataImage> image) {
        gauge(registry, controllerGauge("ActiveControllerCount"), () -> active.getAsBoolean() ? 1 : 0);
        gauge(registry, controllerGauge("GlobalTopicCount"),
                () -> active.getAsBoolean() ? image.get().topicsByName().size() : 0);
        gauge(registry, controllerGauge("GlobalPartitionCount"),
                () -> active.getAsBoolean() ? (int) partitions(image.get()).count() : 0);
        gauge(registry, controllerGauge("OfflinePartitionsCount"), () -> active.getAsBoolean()
                ? (int) partitions(image.get()).filter(partition -> partition.leaderId().isEmpty()).count() : 0);
    }

    private static Stream<PartitionImage> partitions(MetadataImage image) {
        return image.topicsByName().values().stream().flatMap(topic -> topic.partitions().values().stream());
    }

    private static String controllerGauge(String name) {
        return KafkaMetricName.of("kafka.controller", "KafkaController", name);
    }

    private static void gauge(MetricRegistry registry, String name, IntSupplier value) {
        registry.register(name, (Gauge<Integer>) value::getAsInt);
    }
}
