package io.gregor.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.log.PartitionLog;
import java.util.List;

/**
 * Kafka's {@code kafka.log:type=Log} gauges of each partition log this broker holds, led or
 * followed: {@code Size} (bytes of its segments), {@code LogStartOffset}, {@code LogEndOffset}
 * and {@code NumLogSegments}, tagged {@code topic} and {@code partition}. Dashboards show disk use
 * and growth per partition from them. They are read when asked and cost nothing in between.
 */
public final class LogGauges {
    private static final List<String> NAMES = List.of("Size", "LogStartOffset", "LogEndOffset", "NumLogSegments");

    private final MetricRegistry registry;

    public LogGauges(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauges of a log this broker now holds; a log of the same partition before it is replaced. */
    public void add(TopicPartition partition, PartitionLog log) {
        remove(partition);
        registry.register(name(partition, "Size"), (Gauge<Long>) log::sizeInBytes);
        registry.register(name(partition, "LogStartOffset"), (Gauge<Long>) log::logStartOffset);
        registry.register(name(partition, "LogEndOffset"), (Gauge<Long>) log::logEndOffset);
        registry.register(name(partition, "NumLogSegments"), (Gauge<Integer>) log::segmentCount);
    }

    /** Drops the gauges of a log this broker no longer holds. */
    public void remove(TopicPartition partition) {
        NAMES.forEach(gauge -> registry.remove(name(partition, gauge)));
    }

    private static String name(TopicPartition partition, String gauge) {
        return KafkaMetricName.of("kafka.log", "Log", gauge, "topic", partition.topic(),
                "partition", Integer.toString(partition.partition()));
    }
}
