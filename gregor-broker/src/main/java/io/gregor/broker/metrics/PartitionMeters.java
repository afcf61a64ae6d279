package io.gregor.broker.metrics;

import com.codahale.metrics.MetricRegistry;

/** The meters a broker's partitions keep: records and bytes per topic, ISR changes, and each log's gauges. */
public record PartitionMeters(BrokerTopicMetrics topics, IsrChangeMeters isrChanges, LogGauges logs) {

    public PartitionMeters(MetricRegistry registry) {
        this(new BrokerTopicMetrics(registry), new IsrChangeMeters(registry), new LogGauges(registry));
    }
}
