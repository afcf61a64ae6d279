package io.gregor.broker.metrics;

import com.codahale.metrics.MetricRegistry;

/** The meters a broker's partitions keep: records and bytes per topic, and ISR changes. */
public record PartitionMeters(BrokerTopicMetrics topics, IsrChangeMeters isrChanges) {

    public PartitionMeters(MetricRegistry registry) {
        this(new BrokerTopicMetrics(registry), new IsrChangeMeters(registry));
    }
}
